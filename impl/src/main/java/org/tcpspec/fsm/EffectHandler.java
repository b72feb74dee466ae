package org.tcpspec.fsm;

/** The connection side of the engine: runs one effect of a row against the TCB. */
@FunctionalInterface
public interface EffectHandler {
  void run(Effect effect);
}
