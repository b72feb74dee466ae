package org.tcpspec;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.tcpspec.stack.StackConfig;

/**
 * The direction of dependencies inside conformance, checked on its main classes. The module may
 * know everything else; inside it, the script language knows nothing of running, the runner knows
 * the system-under-test seam but not its implementations, the demo apps know nothing of the
 * conformance runner, and only the CLI puts the pieces together. A rule whose subject package has
 * no classes fails too (ArchUnit's failOnEmptyShould).
 */
@AnalyzeClasses(packages = "org.tcpspec",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ConformanceDependencyRulesTest {

  @ArchTest
  static final ArchRule scriptKnowsNothingElseOfConformance = noClasses()
      .that().resideInAPackage("org.tcpspec.conformance.script..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec.conformance..")
          .and(not(resideInAPackage("org.tcpspec.conformance.script.."))))
      .because("the script language is text: parsing needs no runner, system under test or report");

  @ArchTest
  static final ArchRule runKnowsTheSeamNotItsImplementations = noClasses()
      .that().resideInAPackage("org.tcpspec.conformance.run..")
      .should().dependOnClassesThat(resideInAnyPackage(
          "org.tcpspec.conformance.sut..", "org.tcpspec.conformance.linux.."))
      .because("the interpreter plays a script against SystemUnderTest, whichever system it is");

  @ArchTest
  static final ArchRule linuxMechanicsKnowOnlyTheProfile = noClasses()
      .that().resideInAPackage("org.tcpspec.conformance.linux..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec.conformance..")
          .and(not(resideInAnyPackage("org.tcpspec.conformance.linux..", "org.tcpspec.conformance.profile.."))))
      .because("namespaces, sockets, the tap and the clock's edge are Linux's, below any system under"
          + " test or script; they may only mark where their time goes");

  @ArchTest
  static final ArchRule profileKnowsNothingOfTcpspec = noClasses()
      .that().resideInAPackage("org.tcpspec.conformance.profile..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec..")
          .and(not(resideInAPackage("org.tcpspec.conformance.profile.."))))
      .because("every layer marks its time with it, so it may need none of them");

  @ArchTest
  static final ArchRule appsKnowNothingOfConformanceOrCli = noClasses()
      .that().resideInAPackage("org.tcpspec.app..")
      .should().dependOnClassesThat(resideInAnyPackage("org.tcpspec.conformance..", "org.tcpspec.cli.."))
      .because("the demo apps and bench run on the stack and kernel sockets, not on the runner");

  @ArchTest
  static final ArchRule appsKnowTheStackOnlyThroughItsRuntime = noClasses()
      .that().resideInAPackage("org.tcpspec.app..")
      .should().dependOnClassesThat(resideInAnyPackage("org.tcpspec.wire..", "org.tcpspec.fsm..",
          "org.tcpspec.tcb..", "org.tcpspec.stack..", "org.tcpspec.cc..", "org.tcpspec.socket..")
          .and(not(equivalentTo(StackConfig.class))))
      .because("apps speak streams: never segments, states or the transition table (they may"
          + " configure the stack they start: StackConfig, the sysctls TunStack takes)");

  @ArchTest
  static final ArchRule conformanceKnowsNoAppsOrCli = noClasses()
      .that().resideInAPackage("org.tcpspec.conformance..")
      .should().dependOnClassesThat(resideInAnyPackage("org.tcpspec.app..", "org.tcpspec.cli.."))
      .because("the runner and the reports are used by the CLI, never the other way round");

  @ArchTest
  static final ArchRule onlyTheCliPicksTheSystemsUnderTest = noClasses()
      .that().resideOutsideOfPackages("org.tcpspec.conformance.sut..", "org.tcpspec.cli..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec.conformance.sut.."))
      .because("the CLI wires systems under test into the runner; nothing else names them");

  @ArchTest
  static final ArchRule generatorKnowsTheModelAndTableNotTheStack = noClasses()
      .that().resideInAPackage("org.tcpspec.conformance.generate..")
      .should().dependOnClassesThat(resideInAnyPackage("org.tcpspec.stack..", "org.tcpspec.wire..",
          "org.tcpspec.tcb..", "org.tcpspec.conformance.report..", "org.tcpspec.conformance.conform.."))
      .because("scripts come from TLC's graph and the table's rows; the section for them is its own");

  @ArchTest
  static final ArchRule onlyTheCliUsesTheGenerator = noClasses()
      .that().resideOutsideOfPackages("org.tcpspec.conformance.generate..", "org.tcpspec.cli..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec.conformance.generate.."))
      .because("the generated set is a product of the CLI, not an input of the runner or the suite report");

  @ArchTest
  static final ArchRule theJudgeKnowsTheModelTheTableAndTheRunNotTheStackOrTheReport = noClasses()
      .that().resideInAPackage("org.tcpspec.conformance.judge..")
      .should().dependOnClassesThat(resideInAnyPackage("org.tcpspec.stack..", "org.tcpspec.tcb..",
          "org.tcpspec.conformance.report..", "org.tcpspec.conformance.conform..", "org.tcpspec.conformance.sut.."))
      .because("the model judges what a run shows (packets, calls, trace records), whichever system made it");

  @ArchTest
  static final ArchRule differentialTestingKnowsTheRunnersSeamNotTheStackOrTheReports = noClasses()
      .that().resideInAPackage("org.tcpspec.conformance.differential..")
      .should().dependOnClassesThat(resideInAnyPackage("org.tcpspec.stack..", "org.tcpspec.tcb..",
          "org.tcpspec.fsm..", "org.tcpspec.conformance.report..", "org.tcpspec.conformance.conform..",
          "org.tcpspec.conformance.generate..", "org.tcpspec.conformance.judge.."))
      .because("it compares what two systems under test do through the runner, whichever they are");

  @ArchTest
  static final ArchRule onlyTheCliUsesDifferentialTesting = noClasses()
      .that().resideOutsideOfPackages("org.tcpspec.conformance.differential..", "org.tcpspec.cli..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec.conformance.differential.."))
      .because("its findings are written for review, not read by the runner or the suite report");

  @ArchTest
  static final ArchRule nothingDependsOnTheCli = noClasses()
      .that().resideOutsideOfPackage("org.tcpspec.cli..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec.cli.."))
      .because("the CLI is the top: it wires runner, systems under test, reports, apps and bench");
}
