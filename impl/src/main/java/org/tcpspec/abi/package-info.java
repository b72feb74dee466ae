/**
 * Linux's user/kernel ABI as Linux defines it, and nothing else: errno values ({@link
 * org.tcpspec.abi.Errno}), the names socket code passes as numbers ({@link
 * org.tcpspec.abi.Symbol}: levels, options, flags, states, ioctl requests), the layout of struct
 * tcp_info ({@link org.tcpspec.abi.TcpInfo}), and a system call's (value, errno) result ({@link
 * org.tcpspec.abi.SysResult}). One definition of each, shared by the Java stack's socket API, the
 * kernel sockets called through FFM and the script runner.
 *
 * <p>Values, names and layouts only, no behaviour: this package calls nothing and depends on
 * nothing of tcpspec. Values are x86-64's (arm64 shares every value here); the tests hold them
 * to the installed kernel and C library headers.
 */
package org.tcpspec.abi;
