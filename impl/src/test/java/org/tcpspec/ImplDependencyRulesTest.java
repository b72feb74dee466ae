package org.tcpspec;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The direction of dependencies inside impl, checked on its main classes: wire and time at the
 * bottom, the state machine below the stack, and the whole module below conformance. A rule
 * whose subject package has no classes fails too (ArchUnit's failOnEmptyShould), so a renamed
 * package cannot make a rule pass by checking nothing.
 */
@AnalyzeClasses(packages = "org.tcpspec",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ImplDependencyRulesTest {

  @ArchTest
  static final ArchRule wireKnowsNoOtherTcpspecPackage = noClasses()
      .that().resideInAPackage("org.tcpspec.wire..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec..").and(not(resideInAPackage("org.tcpspec.wire.."))))
      .because("wire knows bytes, never connection state: everything else is built on it");

  @ArchTest
  static final ArchRule timeKnowsNoOtherTcpspecPackage = noClasses()
      .that().resideInAPackage("org.tcpspec.time..")
      .should().dependOnClassesThat(resideInAPackage("org.tcpspec..").and(not(resideInAPackage("org.tcpspec.time.."))))
      .because("the clock is injected everywhere and depends on nothing");

  @ArchTest
  static final ArchRule fsmKnowsNoStackSocketRuntimeOrDevice = noClasses()
      .that().resideInAPackage("org.tcpspec.fsm..")
      .should().dependOnClassesThat(resideInAnyPackage(
          "org.tcpspec.stack..", "org.tcpspec.socket..", "org.tcpspec.runtime..", "org.tcpspec.device.."))
      .because("the table and the classifier see a connection only through TcbView and EffectHandler");

  @ArchTest
  static final ArchRule nothingInImplKnowsConformanceAppsOrCli = noClasses()
      .should().dependOnClassesThat(resideInAnyPackage(
          "org.tcpspec.conformance..", "org.tcpspec.app..", "org.tcpspec.cli.."))
      .because("impl is the stack as a library; the runner, the demo apps and the CLI build on it");
}
