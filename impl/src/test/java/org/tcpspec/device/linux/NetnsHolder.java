package org.tcpspec.device.linux;

/** Child JVM for the SIGTERM test: creates a namespace, prints its name, waits to be killed. */
public final class NetnsHolder {
  private NetnsHolder() {}

  public static void main(String[] args) throws Exception {
    Netns ns = Netns.create("hook");
    System.out.println(ns.name());
    System.out.flush();
    Thread.sleep(60_000);
  }
}
