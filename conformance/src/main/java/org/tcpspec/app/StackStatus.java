package org.tcpspec.app;

/**
 * What the commands that need our stack on TUN say until it is there. One place, so the day
 * issue #5 phase 2 lands there is one message to delete.
 */
public final class StackStatus {
  private StackStatus() {}

  /** Why serve and get cannot run our stack yet, and what shows the apps meanwhile. */
  public static final String NOT_LANDED =
      "our stack on TUN has not landed yet (issue #5 phase 2 needs the core's blocking stream"
          + " API and org.tcpspec.runtime.EventLoop over TunDevice); nothing was started."
          + " 'tcpspec demo' runs the same apps over Linux TCP in a throwaway namespace.";
}
