package org.tcpspec.conformance.run;

import java.io.IOException;
import java.util.Optional;
import org.tcpspec.abi.SysResult;
import org.tcpspec.conformance.profile.EventMarks;
import org.tcpspec.conformance.script.EventTime;
import org.tcpspec.conformance.script.Syscall;

/**
 * The {@link Interpreter}'s system calls: built and checked through {@link Syscalls}, made on the
 * system under test at their time, and the one blocking call packetdrill's system call thread
 * would be running, checked against its end time when it returns.
 */
final class CallEvents {
  /** How long a call without {@code ...end} may take on a real-time system before it "blocks". */
  static final long NON_BLOCKING_GRACE_MICROS = 2_000_000;
  /**
   * How long a system call, and the end of the script, wait for a blocking call to return
   * (run_system_call.c, await_idle_thread).
   */
  static final long IDLE_WAIT_MICROS = 1_000_000;

  private final Interpreter in;
  private final SystemUnderTest sut;
  private final RunConfig config;
  private final ScriptClock clock;
  /** The call packetdrill's system call thread would be running. */
  private Optional<BlockingCall> blocking = Optional.empty();

  /** A call started with {@code ...end}: checked when it returns. */
  private record BlockingCall(
      Syscall call, SocketCall live, SystemUnderTest.Pending pending, long startMicros, long endMicros) {}

  CallEvents(Interpreter in, ScriptClock clock) {
    this.in = in;
    this.sut = in.sut();
    this.config = in.config();
    this.clock = clock;
  }

  /**
   * Makes the call at {@code start}: one with an end time is left running (as packetdrill's system
   * call thread runs it) and checked when it returns, any other must return at once and is checked
   * then. Returns the time the next relative time counts from.
   */
  long syscall(Syscall s, EventTime time, long base, long start, long tol, StartWindow due)
      throws ScriptFailure, IOException, InterruptedException {
    EventMarks.mark("call: start");
    boolean blockingCall = s.endMicros().isPresent();
    if (blocking.isPresent() && !reapBlockingCall(IDLE_WAIT_MICROS) && blockingCall) {
      throw ScriptFailure.error(s.pos(), "runtime error in " + s.name() + " call: blocking system call"
          + " while another blocking system call is already in progress");
    }
    // Built before the wait: the script's state changes only on this thread, and at the call's time
    // only the call is left to make (see Interpreter.inbound).
    SocketCall call = Syscalls.build(in, s);
    if (blockingCall) {
      long end = s.endMicros().getAsLong() + (time instanceof EventTime.Relative ? base : 0);
      if (end < start) throw ScriptFailure.error(s.pos(), "end time of blocking call before its start");
      SystemUnderTest.Pending pending = sut.startAt(call, clock.originMicros() + start);
      clock.sleepUntil(start);
      long actual = Math.max(start, clock.now());
      due.check(actual);
      blocking = Optional.of(new BlockingCall(s, call, pending, start, end));
      // When the call entered the system: on a real-time system the hand-off to the calling
      // thread may not count against the packets the call makes the system under test send.
      return Math.max(actual, pending.enteredMicros() - clock.originMicros());
    }
    EventMarks.mark("call: built");
    clock.sleepUntil(start);
    EventMarks.mark("call: due");
    long actual = Math.max(start, clock.now());
    due.check(actual);
    long grace = sut.exactTiming() ? 0 : Math.max(tol, NON_BLOCKING_GRACE_MICROS);
    Optional<SystemUnderTest.Returned> r = sut.callAtOnce(call, grace)
        .map(x -> new SystemUnderTest.Returned(x.micros() - clock.originMicros(), x.result()));
    if (r.isEmpty()) {
      throw ScriptFailure.fail(s.pos(), s.name() + ": expected to return at once, but it blocked"
          + " (a blocking call needs an end time: 'start...end')");
    }
    EventMarks.mark("call: returned");
    in.verbose(() -> s.name() + " syscall: " + Interpreter.seconds(r.get().micros()));
    checkCall(s, call, r.get().result());
    EventMarks.mark("call: checked");
    return Math.max(actual, r.get().micros());
  }

  /**
   * Checks the blocking call if it has returned, waiting at most {@code waitMicros}: its return
   * time against its end time (with the tolerance of its duration, as the system call thread's
   * verify_time has it), then its result. Returns whether no blocking call is left.
   */
  boolean reapBlockingCall(long waitMicros) throws ScriptFailure, InterruptedException {
    if (blocking.isEmpty()) return true;
    BlockingCall b = blocking.get();
    Optional<SystemUnderTest.Returned> r = clock.await(b.pending(), clock.now() + waitMicros);
    if (r.isEmpty()) return false;
    blocking = Optional.empty();
    long tol = clock.tolerance(b.endMicros() - b.startMicros());
    long returned = r.get().micros();
    in.verbose(() -> b.call().name() + " syscall returned: " + Interpreter.seconds(returned));
    if (returned < b.endMicros() - tol || returned > b.endMicros() + tol) {
      throw ScriptFailure.fail(b.call().pos(), b.call().name() + ": timing: expected to return at "
          + Interpreter.seconds(b.endMicros()) + " s vs actual " + Interpreter.seconds(returned)
          + " s (tolerance " + tol + " us)");
    }
    checkCall(b.call(), b.live(), r.get().result());
    return true;
  }

  private void checkCall(Syscall s, SocketCall call, SysResult<CallOutput> result)
      throws ScriptFailure {
    try {
      Syscalls.check(in, s, call, result);
    } catch (ScriptFailure f) {
      if (!config.nonFatalSyscall() || f.kind != ScriptFailure.Kind.FAIL) throw f;
      in.warn("warning (--non_fatal): " + f.getMessage());
    }
  }

  /**
   * At the end of the script: a blocking call still running must return within {@link
   * #IDLE_WAIT_MICROS}.
   */
  void finish() throws ScriptFailure, InterruptedException {
    if (blocking.isPresent() && !reapBlockingCall(IDLE_WAIT_MICROS)) {
      throw ScriptFailure.fail(blocking.get().call().pos(),
          "runtime error: exiting while a blocking system call is in progress");
    }
  }
}
