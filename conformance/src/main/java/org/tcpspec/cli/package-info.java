/**
 * The {@code tcpspec} command line ({@link org.tcpspec.cli.TcpspecCli}, one picocli subcommand per
 * job): the only package that wires everything, the runner with its systems under test and
 * reports ({@code run}, {@code conform}), TLC ({@code check}), and the apps and bench on the
 * stack's TUN runtime ({@code serve}, {@code get}, {@code demo}, {@code bench}). Nothing depends
 * on it (ConformanceDependencyRulesTest). It parses arguments and prints; the work is done in the
 * packages it calls.
 */
package org.tcpspec.cli;
