/**
 * The bridge from Java to the TLA+ models in {@code spec/}: runs TLC as a subprocess on the
 * models packaged as resources, reads the manifest of expected results, dumps the one-endpoint
 * state graph ({@link org.tcpspec.spec.StateGraph}) and validates implementation traces against
 * the model ({@link org.tcpspec.spec.TraceValidation}). It must not know the Java stack: the stack
 * is checked against the models, never the other way round.
 */
package org.tcpspec.spec;
