package org.tcpspec.conformance.report;

/**
 * One model's TLC check as the report's table shows it.
 *
 * @param outcome what TLC found: "no violation", "NoSimultaneousOpen violated", "deadlock", ...
 * @param agrees whether verdict and counts are those spec/manifest.json records
 * @param expectation "as expected", "violated, as expected", or the differences from the manifest
 * @param cached whether the result was taken from the TLC cache (model files unchanged) rather
 *     than from a TLC run now
 */
public record ModelResult(String model, String outcome, boolean agrees, String expectation,
    long distinctStates, int depth, double seconds, boolean cached) {}
