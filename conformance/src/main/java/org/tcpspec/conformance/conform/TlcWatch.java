package org.tcpspec.conformance.conform;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.Optional;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Shows how far TLC is while it checks one model, every {@link #POLL_MILLIS}: TLC's own counters
 * (states generated, distinct states, queue, depth) read from its {@code ModelChecker} MXBean
 * ({@code tlc2.tool:type=ModelChecker}, which TLC registers in its platform MBean server) in the
 * child JVM that {@code spec.Tlc} starts, over a local JMX connection made through the attach API.
 * TLC itself prints progress only once a minute, so a 70 s model would otherwise say nothing. The
 * rates are the counters' differences between two polls. When the child cannot be reached the
 * status says so and shows the elapsed time alone.
 */
final class TlcWatch implements AutoCloseable {

  static final long POLL_MILLIS = 2000;

  private static final String MODEL_CHECKER = "tlc2.tool:type=ModelChecker";

  private final String model;
  private final String config;
  private final Progress progress;
  private final long startNanos = System.nanoTime();
  private final Thread thread;
  private VirtualMachine vm;
  private JMXConnector connector;
  private String unreachable = "";
  /** Set by {@link #close()}; checked under this object's lock before each status, so none comes after. */
  private boolean stopped;

  private TlcWatch(String model, String config, Progress progress) {
    this.model = model;
    this.config = config;
    this.progress = progress;
    this.thread = Thread.ofVirtual().name("tlc-watch-" + model).start(this::loop);
  }

  /** Starts watching the TLC child that checks {@code config}; close it when TLC is done. */
  static TlcWatch start(String model, String config, Progress progress) {
    return new TlcWatch(model, config, progress);
  }

  private void loop() {
    long lastGenerated = 0;
    long lastDistinct = 0;
    long lastNanos = startNanos;
    try {
      while (true) {
        Thread.sleep(POLL_MILLIS);
        long now = System.nanoTime();
        double elapsed = (now - startNanos) / 1e9;
        // Attaching may swallow an interrupt; the flag says for sure whether close() was called.
        Optional<Counters> c = counters();
        String text;
        if (c.isEmpty()) {
          text = String.format("tlc: %s: %s%s", model, Progress.duration(elapsed),
              unreachable.isEmpty() || elapsed < 10 ? " (starting)" : " (TLC's counters not readable: " + unreachable + ")");
        } else {
          double dt = (now - lastNanos) / 1e9;
          Counters k = c.get();
          text = String.format("tlc: %s: %,d distinct states (%,.0f/s), %,d states generated (%,.0f states/s),"
                  + " depth %d, %,d on the queue, %s", model, k.distinct(), (k.distinct() - lastDistinct) / dt,
              k.generated(), (k.generated() - lastGenerated) / dt, k.depth(), k.queue(), Progress.duration(elapsed));
          lastGenerated = k.generated();
          lastDistinct = k.distinct();
          lastNanos = now;
        }
        synchronized (this) {
          if (stopped) return;
          progress.status("tlc", text);
        }
      }
    } catch (InterruptedException e) {
      // close() stops the watch.
    } finally {
      closeConnection();
    }
  }

  /** TLC's counters, or empty while TLC has not started model checking or cannot be reached. */
  private Optional<Counters> counters() {
    try {
      if (connector == null) {
        Optional<ProcessHandle> child = ProcessHandle.current().children()
            .filter(p -> p.info().arguments().map(this::isOurTlc).orElse(false)).findFirst();
        if (child.isEmpty()) return Optional.empty();
        vm = VirtualMachine.attach(Long.toString(child.get().pid()));
        connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
      }
      MBeanServerConnection server = connector.getMBeanServerConnection();
      ObjectName name = new ObjectName(MODEL_CHECKER);
      if (!server.isRegistered(name)) return Optional.empty();
      return Optional.of(new Counters(
          (Long) server.getAttribute(name, "StatesGenerated"),
          (Long) server.getAttribute(name, "DistinctStatesGenerated"),
          (Long) server.getAttribute(name, "StateQueueSize"),
          (Integer) server.getAttribute(name, "Progress")));
    } catch (Exception e) {
      // The child may not accept attachments yet, or has just ended; the next poll tries again.
      unreachable = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      closeConnection();
      return Optional.empty();
    }
  }

  private boolean isOurTlc(String[] args) {
    boolean tlc = false;
    boolean ours = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("tlc2.TLC")) tlc = true;
      if (args[i].equals("-config") && i + 1 < args.length && args[i + 1].equals(config)) ours = true;
    }
    return tlc && ours;
  }

  private void closeConnection() {
    try {
      if (connector != null) connector.close();
    } catch (IOException e) {
      // The child is gone; nothing to close.
    }
    try {
      if (vm != null) vm.detach();
    } catch (IOException e) {
      // As above.
    }
    connector = null;
    vm = null;
  }

  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
    }
    thread.interrupt();
    try {
      thread.join(java.time.Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    progress.endStatus("tlc");
  }

  private record Counters(long generated, long distinct, long queue, int depth) {}
}
