package org.tcpspec.abi;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The names of Linux's user/kernel ABI that socket code passes as numbers, one table of (name,
 * value, kind) as packetdrill's symbols_linux.c is one table: address families, socket types,
 * protocols and levels, socket options of every level, message and file flags, fcntl commands,
 * poll and epoll events, shutdown modes, TCP states, congestion-avoidance states, tcp_info option
 * bits, ioctl requests, error-queue and timestamping constants, capabilities. It holds every name
 * of packetdrill's Linux symbol table (symbols_linux.c, the cross-platform table of script.c and
 * the names code.c gives Python), so a script written for packetdrill finds each of its names
 * here; {@link #numberOf} adds the errno names of {@link Errno}, which scripts use as values too
 * ({@code [ECONNREFUSED]}). Values are x86-64's (arm64 agrees for every entry here); each constant
 * is spelled exactly as C spells it, so a script's {@code SO_REUSEADDR} is found by {@link
 * #byName}.
 *
 * <p>Java code uses the constants directly ({@code SOL_SOCKET.value()}) and switches over them;
 * {@link #option} finds the option a (level, optname) pair of a setsockopt call names. Aliases
 * (PF_INET = AF_INET, SOL_TCP = IPPROTO_TCP, TCP_CA_LOSS = TCP_CA_Loss) are entries of their own
 * with the same value.
 */
public enum Symbol {
  AF_UNSPEC(Kind.ADDRESS_FAMILY, 0),
  AF_UNIX(Kind.ADDRESS_FAMILY, 1),
  AF_INET(Kind.ADDRESS_FAMILY, 2),
  AF_INET6(Kind.ADDRESS_FAMILY, 10),
  AF_NETLINK(Kind.ADDRESS_FAMILY, 16),
  AF_PACKET(Kind.ADDRESS_FAMILY, 17),
  PF_INET(Kind.ADDRESS_FAMILY, 2),
  PF_INET6(Kind.ADDRESS_FAMILY, 10),

  SOCK_STREAM(Kind.SOCKET_TYPE, 1),
  SOCK_DGRAM(Kind.SOCKET_TYPE, 2),
  SOCK_RAW(Kind.SOCKET_TYPE, 3),
  SOCK_NONBLOCK(Kind.SOCKET_TYPE_FLAG, 0x800),
  SOCK_CLOEXEC(Kind.SOCKET_TYPE_FLAG, 0x80000),

  IPPROTO_IP(Kind.PROTOCOL, 0),
  IPPROTO_ICMP(Kind.PROTOCOL, 1),
  IPPROTO_TCP(Kind.PROTOCOL, 6),
  IPPROTO_UDP(Kind.PROTOCOL, 17),
  IPPROTO_IPV6(Kind.PROTOCOL, 41),
  IPPROTO_ICMPV6(Kind.PROTOCOL, 58),
  IPPROTO_RAW(Kind.PROTOCOL, 255),

  SOL_IP(Kind.LEVEL, 0),
  SOL_SOCKET(Kind.LEVEL, 1),
  SOL_TCP(Kind.LEVEL, 6),
  SOL_UDP(Kind.LEVEL, 17),
  SOL_IPV6(Kind.LEVEL, 41),
  SOL_PACKET(Kind.LEVEL, 263),

  SO_DEBUG(Kind.SOCKET_OPTION, 1),
  SO_REUSEADDR(Kind.SOCKET_OPTION, 2),
  SO_TYPE(Kind.SOCKET_OPTION, 3),
  SO_ERROR(Kind.SOCKET_OPTION, 4),
  SO_DONTROUTE(Kind.SOCKET_OPTION, 5),
  SO_BROADCAST(Kind.SOCKET_OPTION, 6),
  SO_SNDBUF(Kind.SOCKET_OPTION, 7),
  SO_RCVBUF(Kind.SOCKET_OPTION, 8),
  SO_KEEPALIVE(Kind.SOCKET_OPTION, 9),
  SO_OOBINLINE(Kind.SOCKET_OPTION, 10),
  SO_NO_CHECK(Kind.SOCKET_OPTION, 11),
  SO_PRIORITY(Kind.SOCKET_OPTION, 12),
  SO_LINGER(Kind.SOCKET_OPTION, 13),
  SO_BSDCOMPAT(Kind.SOCKET_OPTION, 14),
  SO_REUSEPORT(Kind.SOCKET_OPTION, 15),
  SO_PASSCRED(Kind.SOCKET_OPTION, 16),
  SO_PEERCRED(Kind.SOCKET_OPTION, 17),
  SO_RCVLOWAT(Kind.SOCKET_OPTION, 18),
  SO_SNDLOWAT(Kind.SOCKET_OPTION, 19),
  /** SO_RCVTIMEO_OLD, which SO_RCVTIMEO is where long is 64 bits. */
  SO_RCVTIMEO(Kind.SOCKET_OPTION, 20),
  SO_SNDTIMEO(Kind.SOCKET_OPTION, 21),
  SO_SECURITY_AUTHENTICATION(Kind.SOCKET_OPTION, 22),
  SO_SECURITY_ENCRYPTION_TRANSPORT(Kind.SOCKET_OPTION, 23),
  SO_SECURITY_ENCRYPTION_NETWORK(Kind.SOCKET_OPTION, 24),
  SO_BINDTODEVICE(Kind.SOCKET_OPTION, 25),
  SO_ATTACH_FILTER(Kind.SOCKET_OPTION, 26),
  SO_DETACH_FILTER(Kind.SOCKET_OPTION, 27),
  SO_PEERNAME(Kind.SOCKET_OPTION, 28),
  /** SO_TIMESTAMP_OLD, which SO_TIMESTAMP is where long is 64 bits. */
  SO_TIMESTAMP(Kind.SOCKET_OPTION, 29),
  SO_ACCEPTCONN(Kind.SOCKET_OPTION, 30),
  SO_PEERSEC(Kind.SOCKET_OPTION, 31),
  SO_SNDBUFFORCE(Kind.SOCKET_OPTION, 32),
  SO_RCVBUFFORCE(Kind.SOCKET_OPTION, 33),
  /** SO_TIMESTAMPNS_OLD: its control message carries a struct timespec of two 64-bit longs. */
  SO_TIMESTAMPNS(Kind.SOCKET_OPTION, 35),
  SO_MARK(Kind.SOCKET_OPTION, 36),
  /** SO_TIMESTAMPING_OLD: its control message carries three struct timespec of two 64-bit longs. */
  SO_TIMESTAMPING(Kind.SOCKET_OPTION, 37),
  SO_PROTOCOL(Kind.SOCKET_OPTION, 38),
  SO_DOMAIN(Kind.SOCKET_OPTION, 39),
  SO_MAX_PACING_RATE(Kind.SOCKET_OPTION, 47),
  SO_INCOMING_CPU(Kind.SOCKET_OPTION, 49),
  /** The socket's memory counters, sk_get_meminfo's u32[SK_MEMINFO_VARS] (Linux 3.17). */
  SO_MEMINFO(Kind.SOCKET_OPTION, 55),
  SO_ZEROCOPY(Kind.SOCKET_OPTION, 60),
  SO_TXTIME(Kind.SOCKET_OPTION, 61),

  /** Every packet a packet socket reads comes behind a struct virtio_net_hdr (af_packet.c). */
  PACKET_VNET_HDR(Kind.PACKET_OPTION, 15),
  /** Where a queued error came from: sock_extended_err.ee_origin (include/uapi/linux/errqueue.h). */
  SO_EE_ORIGIN_NONE(Kind.ERROR_ORIGIN, 0),
  SO_EE_ORIGIN_LOCAL(Kind.ERROR_ORIGIN, 1),
  SO_EE_ORIGIN_ICMP(Kind.ERROR_ORIGIN, 2),
  SO_EE_ORIGIN_ICMP6(Kind.ERROR_ORIGIN, 3),
  SO_EE_ORIGIN_TIMESTAMPING(Kind.ERROR_ORIGIN, 4),
  SO_EE_ORIGIN_ZEROCOPY(Kind.ERROR_ORIGIN, 5),
  SO_EE_ORIGIN_TXTIME(Kind.ERROR_ORIGIN, 6),
  /** ee_code of a zerocopy completion whose data the kernel copied after all. */
  SO_EE_CODE_ZEROCOPY_COPIED(Kind.ERROR_CODE, 1),

  /** SO_TIMESTAMPING flags (include/uapi/linux/net_tstamp.h). */
  SOF_TIMESTAMPING_TX_HARDWARE(Kind.TIMESTAMPING_FLAG, 1 << 0),
  SOF_TIMESTAMPING_TX_SOFTWARE(Kind.TIMESTAMPING_FLAG, 1 << 1),
  SOF_TIMESTAMPING_RX_HARDWARE(Kind.TIMESTAMPING_FLAG, 1 << 2),
  SOF_TIMESTAMPING_RX_SOFTWARE(Kind.TIMESTAMPING_FLAG, 1 << 3),
  SOF_TIMESTAMPING_SOFTWARE(Kind.TIMESTAMPING_FLAG, 1 << 4),
  SOF_TIMESTAMPING_SYS_HARDWARE(Kind.TIMESTAMPING_FLAG, 1 << 5),
  SOF_TIMESTAMPING_RAW_HARDWARE(Kind.TIMESTAMPING_FLAG, 1 << 6),
  SOF_TIMESTAMPING_OPT_ID(Kind.TIMESTAMPING_FLAG, 1 << 7),
  SOF_TIMESTAMPING_TX_SCHED(Kind.TIMESTAMPING_FLAG, 1 << 8),
  SOF_TIMESTAMPING_TX_ACK(Kind.TIMESTAMPING_FLAG, 1 << 9),
  SOF_TIMESTAMPING_OPT_CMSG(Kind.TIMESTAMPING_FLAG, 1 << 10),
  SOF_TIMESTAMPING_OPT_TSONLY(Kind.TIMESTAMPING_FLAG, 1 << 11),
  SOF_TIMESTAMPING_OPT_STATS(Kind.TIMESTAMPING_FLAG, 1 << 12),
  SOF_TIMESTAMPING_OPT_PKTINFO(Kind.TIMESTAMPING_FLAG, 1 << 13),
  SOF_TIMESTAMPING_OPT_TX_SWHW(Kind.TIMESTAMPING_FLAG, 1 << 14),
  SOF_TIMESTAMPING_BIND_PHC(Kind.TIMESTAMPING_FLAG, 1 << 15),
  SOF_TIMESTAMPING_OPT_ID_TCP(Kind.TIMESTAMPING_FLAG, 1 << 16),

  /** Control message types at SOL_SOCKET (cmsg_type), and TCP_CM_INQ at SOL_TCP. */
  SCM_RIGHTS(Kind.CONTROL_MESSAGE, 1),
  SCM_CREDENTIALS(Kind.CONTROL_MESSAGE, 2),
  SCM_TIMESTAMPING(Kind.CONTROL_MESSAGE, 37),
  SCM_TIMESTAMPING_OPT_STATS(Kind.CONTROL_MESSAGE, 54),
  TCP_CM_INQ(Kind.CONTROL_MESSAGE, 36),
  /** Which moment a timestamp on the error queue stamps: sock_extended_err.ee_info. */
  SCM_TSTAMP_SND(Kind.TIMESTAMP_KIND, 0),
  SCM_TSTAMP_SCHED(Kind.TIMESTAMP_KIND, 1),
  SCM_TSTAMP_ACK(Kind.TIMESTAMP_KIND, 2),

  /**
   * Attributes of the SCM_TIMESTAMPING_OPT_STATS control message, a list of netlink attributes
   * (enum in include/uapi/linux/tcp.h).
   */
  TCP_NLA_PAD(Kind.TCP_STATS_ATTRIBUTE, 0),
  TCP_NLA_BUSY(Kind.TCP_STATS_ATTRIBUTE, 1),
  TCP_NLA_RWND_LIMITED(Kind.TCP_STATS_ATTRIBUTE, 2),
  TCP_NLA_SNDBUF_LIMITED(Kind.TCP_STATS_ATTRIBUTE, 3),
  TCP_NLA_DATA_SEGS_OUT(Kind.TCP_STATS_ATTRIBUTE, 4),
  TCP_NLA_TOTAL_RETRANS(Kind.TCP_STATS_ATTRIBUTE, 5),
  TCP_NLA_PACING_RATE(Kind.TCP_STATS_ATTRIBUTE, 6),
  TCP_NLA_DELIVERY_RATE(Kind.TCP_STATS_ATTRIBUTE, 7),
  TCP_NLA_SND_CWND(Kind.TCP_STATS_ATTRIBUTE, 8),
  TCP_NLA_REORDERING(Kind.TCP_STATS_ATTRIBUTE, 9),
  TCP_NLA_MIN_RTT(Kind.TCP_STATS_ATTRIBUTE, 10),
  TCP_NLA_RECUR_RETRANS(Kind.TCP_STATS_ATTRIBUTE, 11),
  TCP_NLA_DELIVERY_RATE_APP_LMT(Kind.TCP_STATS_ATTRIBUTE, 12),
  TCP_NLA_SNDQ_SIZE(Kind.TCP_STATS_ATTRIBUTE, 13),
  TCP_NLA_CA_STATE(Kind.TCP_STATS_ATTRIBUTE, 14),
  TCP_NLA_SND_SSTHRESH(Kind.TCP_STATS_ATTRIBUTE, 15),
  TCP_NLA_DELIVERED(Kind.TCP_STATS_ATTRIBUTE, 16),
  TCP_NLA_DELIVERED_CE(Kind.TCP_STATS_ATTRIBUTE, 17),
  TCP_NLA_BYTES_SENT(Kind.TCP_STATS_ATTRIBUTE, 18),
  TCP_NLA_BYTES_RETRANS(Kind.TCP_STATS_ATTRIBUTE, 19),
  TCP_NLA_DSACK_DUPS(Kind.TCP_STATS_ATTRIBUTE, 20),
  TCP_NLA_REORD_SEEN(Kind.TCP_STATS_ATTRIBUTE, 21),
  TCP_NLA_SRTT(Kind.TCP_STATS_ATTRIBUTE, 22),

  TCP_NODELAY(Kind.TCP_OPTION, 1),
  TCP_MAXSEG(Kind.TCP_OPTION, 2),
  TCP_CORK(Kind.TCP_OPTION, 3),
  TCP_KEEPIDLE(Kind.TCP_OPTION, 4),
  TCP_KEEPINTVL(Kind.TCP_OPTION, 5),
  TCP_KEEPCNT(Kind.TCP_OPTION, 6),
  TCP_SYNCNT(Kind.TCP_OPTION, 7),
  TCP_LINGER2(Kind.TCP_OPTION, 8),
  TCP_DEFER_ACCEPT(Kind.TCP_OPTION, 9),
  TCP_WINDOW_CLAMP(Kind.TCP_OPTION, 10),
  TCP_INFO(Kind.TCP_OPTION, 11),
  TCP_QUICKACK(Kind.TCP_OPTION, 12),
  TCP_CONGESTION(Kind.TCP_OPTION, 13),
  TCP_MD5SIG(Kind.TCP_OPTION, 14),
  /** Removed in Linux 3.10; packetdrill still names it, the kernel answers ENOPROTOOPT. */
  TCP_COOKIE_TRANSACTIONS(Kind.TCP_OPTION, 15),
  TCP_THIN_LINEAR_TIMEOUTS(Kind.TCP_OPTION, 16),
  TCP_THIN_DUPACK(Kind.TCP_OPTION, 17),
  TCP_USER_TIMEOUT(Kind.TCP_OPTION, 18),
  TCP_REPAIR(Kind.TCP_OPTION, 19),
  TCP_REPAIR_QUEUE(Kind.TCP_OPTION, 20),
  TCP_QUEUE_SEQ(Kind.TCP_OPTION, 21),
  TCP_REPAIR_OPTIONS(Kind.TCP_OPTION, 22),
  TCP_FASTOPEN(Kind.TCP_OPTION, 23),
  TCP_TIMESTAMP(Kind.TCP_OPTION, 24),
  TCP_NOTSENT_LOWAT(Kind.TCP_OPTION, 25),
  TCP_CC_INFO(Kind.TCP_OPTION, 26),
  TCP_SAVE_SYN(Kind.TCP_OPTION, 27),
  TCP_SAVED_SYN(Kind.TCP_OPTION, 28),
  TCP_REPAIR_WINDOW(Kind.TCP_OPTION, 29),
  TCP_FASTOPEN_CONNECT(Kind.TCP_OPTION, 30),
  TCP_ULP(Kind.TCP_OPTION, 31),
  TCP_MD5SIG_EXT(Kind.TCP_OPTION, 32),
  TCP_FASTOPEN_KEY(Kind.TCP_OPTION, 33),
  TCP_FASTOPEN_NO_COOKIE(Kind.TCP_OPTION, 34),
  TCP_ZEROCOPY_RECEIVE(Kind.TCP_OPTION, 35),
  TCP_INQ(Kind.TCP_OPTION, 36),
  TCP_TX_DELAY(Kind.TCP_OPTION, 37),
  /** Linux 6.15+ (include/uapi/linux/tcp.h): the socket's maximum RTO in ms. */
  TCP_RTO_MAX_MS(Kind.TCP_OPTION, 44),
  /** Linux 6.15+ (include/uapi/linux/tcp.h): the socket's minimum RTO in microseconds. */
  TCP_RTO_MIN_US(Kind.TCP_OPTION, 45),

  IP_TOS(Kind.IP_OPTION, 1),
  IP_TTL(Kind.IP_OPTION, 2),
  IP_HDRINCL(Kind.IP_OPTION, 3),
  IP_OPTIONS(Kind.IP_OPTION, 4),
  IP_PKTINFO(Kind.IP_OPTION, 8),
  IP_MTU_DISCOVER(Kind.IP_OPTION, 10),
  IP_RECVERR(Kind.IP_OPTION, 11),
  IP_RECVTTL(Kind.IP_OPTION, 12),
  IP_RECVTOS(Kind.IP_OPTION, 13),
  IP_MTU(Kind.IP_OPTION, 14),
  IP_FREEBIND(Kind.IP_OPTION, 15),
  IP_TRANSPARENT(Kind.IP_OPTION, 19),
  IP_MINTTL(Kind.IP_OPTION, 21),
  IP_BIND_ADDRESS_NO_PORT(Kind.IP_OPTION, 24),
  /** Values of IP_MTU_DISCOVER and IPV6_MTU_DISCOVER. */
  IP_PMTUDISC_DONT(Kind.PMTU_DISCOVERY, 0),
  IP_PMTUDISC_WANT(Kind.PMTU_DISCOVERY, 1),
  IP_PMTUDISC_DO(Kind.PMTU_DISCOVERY, 2),
  IP_PMTUDISC_PROBE(Kind.PMTU_DISCOVERY, 3),

  IPV6_FLOWINFO(Kind.IPV6_OPTION, 11),
  IPV6_UNICAST_HOPS(Kind.IPV6_OPTION, 16),
  IPV6_MTU_DISCOVER(Kind.IPV6_OPTION, 23),
  IPV6_MTU(Kind.IPV6_OPTION, 24),
  IPV6_RECVERR(Kind.IPV6_OPTION, 25),
  IPV6_V6ONLY(Kind.IPV6_OPTION, 26),
  IPV6_HOPLIMIT(Kind.IPV6_OPTION, 52),
  IPV6_TCLASS(Kind.IPV6_OPTION, 67),

  MSG_OOB(Kind.MESSAGE_FLAG, 0x1),
  MSG_PEEK(Kind.MESSAGE_FLAG, 0x2),
  MSG_DONTROUTE(Kind.MESSAGE_FLAG, 0x4),
  MSG_CTRUNC(Kind.MESSAGE_FLAG, 0x8),
  MSG_TRUNC(Kind.MESSAGE_FLAG, 0x20),
  MSG_DONTWAIT(Kind.MESSAGE_FLAG, 0x40),
  MSG_EOR(Kind.MESSAGE_FLAG, 0x80),
  MSG_PROXY(Kind.MESSAGE_FLAG, 0x10),
  MSG_WAITALL(Kind.MESSAGE_FLAG, 0x100),
  MSG_FIN(Kind.MESSAGE_FLAG, 0x200),
  MSG_SYN(Kind.MESSAGE_FLAG, 0x400),
  MSG_CONFIRM(Kind.MESSAGE_FLAG, 0x800),
  MSG_RST(Kind.MESSAGE_FLAG, 0x1000),
  MSG_ERRQUEUE(Kind.MESSAGE_FLAG, 0x2000),
  MSG_NOSIGNAL(Kind.MESSAGE_FLAG, 0x4000),
  MSG_MORE(Kind.MESSAGE_FLAG, 0x8000),
  MSG_ZEROCOPY(Kind.MESSAGE_FLAG, 0x4000000),
  MSG_FASTOPEN(Kind.MESSAGE_FLAG, 0x20000000),
  MSG_CMSG_CLOEXEC(Kind.MESSAGE_FLAG, 0x40000000),

  O_RDONLY(Kind.FILE_FLAG, 0),
  O_WRONLY(Kind.FILE_FLAG, 1),
  O_RDWR(Kind.FILE_FLAG, 2),
  O_ACCMODE(Kind.FILE_FLAG, 3),
  O_CREAT(Kind.FILE_FLAG, 0x40),
  O_EXCL(Kind.FILE_FLAG, 0x80),
  O_NOCTTY(Kind.FILE_FLAG, 0x100),
  O_TRUNC(Kind.FILE_FLAG, 0x200),
  O_APPEND(Kind.FILE_FLAG, 0x400),
  O_NONBLOCK(Kind.FILE_FLAG, 0x800),
  O_CLOEXEC(Kind.FILE_FLAG, 0x80000),

  F_DUPFD(Kind.FCNTL_COMMAND, 0),
  F_GETFD(Kind.FCNTL_COMMAND, 1),
  F_SETFD(Kind.FCNTL_COMMAND, 2),
  F_GETFL(Kind.FCNTL_COMMAND, 3),
  F_SETFL(Kind.FCNTL_COMMAND, 4),
  F_GETLK(Kind.FCNTL_COMMAND, 5),
  F_SETLK(Kind.FCNTL_COMMAND, 6),
  F_SETLKW(Kind.FCNTL_COMMAND, 7),
  F_SETOWN(Kind.FCNTL_COMMAND, 8),
  F_GETOWN(Kind.FCNTL_COMMAND, 9),
  F_SETSIG(Kind.FCNTL_COMMAND, 10),
  F_GETSIG(Kind.FCNTL_COMMAND, 11),
  /** glibc's names on x86-64, where struct flock is already 64-bit (bits/fcntl.h). */
  F_GETLK64(Kind.FCNTL_COMMAND, 5),
  F_SETLK64(Kind.FCNTL_COMMAND, 6),
  F_SETLKW64(Kind.FCNTL_COMMAND, 7),
  F_SETLEASE(Kind.FCNTL_COMMAND, 1024),
  F_GETLEASE(Kind.FCNTL_COMMAND, 1025),
  F_NOTIFY(Kind.FCNTL_COMMAND, 1026),
  F_DUPFD_CLOEXEC(Kind.FCNTL_COMMAND, 1030),
  FD_CLOEXEC(Kind.FD_FLAG, 1),
  F_RDLCK(Kind.FILE_LOCK, 0),
  F_WRLCK(Kind.FILE_LOCK, 1),
  F_UNLCK(Kind.FILE_LOCK, 2),
  F_EXLCK(Kind.FILE_LOCK, 4),
  F_SHLCK(Kind.FILE_LOCK, 8),
  LOCK_SH(Kind.FILE_LOCK, 1),
  LOCK_EX(Kind.FILE_LOCK, 2),
  LOCK_NB(Kind.FILE_LOCK, 4),
  LOCK_UN(Kind.FILE_LOCK, 8),
  SEEK_SET(Kind.SEEK_WHENCE, 0),
  SEEK_CUR(Kind.SEEK_WHENCE, 1),
  SEEK_END(Kind.SEEK_WHENCE, 2),

  POLLIN(Kind.POLL_EVENT, 0x1),
  POLLPRI(Kind.POLL_EVENT, 0x2),
  POLLOUT(Kind.POLL_EVENT, 0x4),
  POLLERR(Kind.POLL_EVENT, 0x8),
  POLLHUP(Kind.POLL_EVENT, 0x10),
  POLLNVAL(Kind.POLL_EVENT, 0x20),
  POLLRDNORM(Kind.POLL_EVENT, 0x40),
  POLLRDBAND(Kind.POLL_EVENT, 0x80),
  POLLWRNORM(Kind.POLL_EVENT, 0x100),
  POLLWRBAND(Kind.POLL_EVENT, 0x200),
  POLLMSG(Kind.POLL_EVENT, 0x400),
  POLLREMOVE(Kind.POLL_EVENT, 0x1000),
  POLLRDHUP(Kind.POLL_EVENT, 0x2000),

  EPOLLIN(Kind.EPOLL_EVENT, 0x1),
  EPOLLPRI(Kind.EPOLL_EVENT, 0x2),
  EPOLLOUT(Kind.EPOLL_EVENT, 0x4),
  EPOLLERR(Kind.EPOLL_EVENT, 0x8),
  EPOLLHUP(Kind.EPOLL_EVENT, 0x10),
  EPOLLRDNORM(Kind.EPOLL_EVENT, 0x40),
  EPOLLRDBAND(Kind.EPOLL_EVENT, 0x80),
  EPOLLWRNORM(Kind.EPOLL_EVENT, 0x100),
  EPOLLWRBAND(Kind.EPOLL_EVENT, 0x200),
  EPOLLMSG(Kind.EPOLL_EVENT, 0x400),
  EPOLLRDHUP(Kind.EPOLL_EVENT, 0x2000),
  EPOLLEXCLUSIVE(Kind.EPOLL_EVENT, 1 << 28),
  EPOLLWAKEUP(Kind.EPOLL_EVENT, 1 << 29),
  EPOLLONESHOT(Kind.EPOLL_EVENT, 1 << 30),
  /** 1u << 31: the sign bit of an int, as C's uint32_t events reads it. */
  EPOLLET(Kind.EPOLL_EVENT, 1 << 31),
  EPOLL_CTL_ADD(Kind.EPOLL_OPERATION, 1),
  EPOLL_CTL_DEL(Kind.EPOLL_OPERATION, 2),
  EPOLL_CTL_MOD(Kind.EPOLL_OPERATION, 3),

  SPLICE_F_MOVE(Kind.SPLICE_FLAG, 1),
  SPLICE_F_NONBLOCK(Kind.SPLICE_FLAG, 2),
  SPLICE_F_MORE(Kind.SPLICE_FLAG, 4),
  SPLICE_F_GIFT(Kind.SPLICE_FLAG, 8),

  SHUT_RD(Kind.SHUTDOWN_HOW, 0),
  SHUT_WR(Kind.SHUTDOWN_HOW, 1),
  SHUT_RDWR(Kind.SHUTDOWN_HOW, 2),

  TCP_ESTABLISHED(Kind.TCP_STATE, 1),
  TCP_SYN_SENT(Kind.TCP_STATE, 2),
  TCP_SYN_RECV(Kind.TCP_STATE, 3),
  TCP_FIN_WAIT1(Kind.TCP_STATE, 4),
  TCP_FIN_WAIT2(Kind.TCP_STATE, 5),
  TCP_TIME_WAIT(Kind.TCP_STATE, 6),
  TCP_CLOSE(Kind.TCP_STATE, 7),
  TCP_CLOSE_WAIT(Kind.TCP_STATE, 8),
  TCP_LAST_ACK(Kind.TCP_STATE, 9),
  TCP_LISTEN(Kind.TCP_STATE, 10),
  TCP_CLOSING(Kind.TCP_STATE, 11),
  /** A request socket (include/net/tcp_states.h); getsockopt never sees it. */
  TCP_NEW_SYN_RECV(Kind.TCP_STATE, 12),

  TCP_CA_Open(Kind.CA_STATE, 0),
  TCP_CA_Disorder(Kind.CA_STATE, 1),
  TCP_CA_CWR(Kind.CA_STATE, 2),
  TCP_CA_Recovery(Kind.CA_STATE, 3),
  TCP_CA_Loss(Kind.CA_STATE, 4),
  /** packetdrill's spelling of the same states in system call arguments (symbols_linux.c). */
  TCP_CA_OPEN(Kind.CA_STATE, 0),
  TCP_CA_DISORDER(Kind.CA_STATE, 1),
  TCP_CA_RECOVERY(Kind.CA_STATE, 3),
  TCP_CA_LOSS(Kind.CA_STATE, 4),

  TCPI_OPT_TIMESTAMPS(Kind.TCPI_OPTION, 1),
  TCPI_OPT_SACK(Kind.TCPI_OPTION, 2),
  TCPI_OPT_WSCALE(Kind.TCPI_OPTION, 4),
  TCPI_OPT_ECN(Kind.TCPI_OPTION, 8),
  TCPI_OPT_ECN_SEEN(Kind.TCPI_OPTION, 16),
  TCPI_OPT_SYN_DATA(Kind.TCPI_OPTION, 32),
  TCPI_OPT_USEC_TS(Kind.TCPI_OPTION, 64),
  TCPI_OPT_ECN_LOW(Kind.TCPI_OPTION, 128),
  /** packetdrill's name for bit 128 (tcp.h), which Linux 6.x calls TCPI_OPT_ECN_LOW. */
  TCPI_OPT_TFO_CHILD(Kind.TCPI_OPTION, 128),

  /** What TCP_MAXSEG reads before a connection has an MSS (RFC 1122, include/uapi/linux/tcp.h). */
  TCP_MSS_DEFAULT(Kind.TCP_CONSTANT, 536),
  TCP_MSS_DESIRED(Kind.TCP_CONSTANT, 1220),
  /** The ssthresh of a connection that has seen no loss (include/net/tcp.h). */
  TCP_INFINITE_SSTHRESH(Kind.TCP_CONSTANT, 0x7fffffff),

  INADDR_ANY(Kind.ADDRESS, 0),
  INADDR_LOOPBACK(Kind.ADDRESS, 0x7f000001),
  /** A null pointer argument, as packetdrill's cross-platform table has it. */
  NULL(Kind.ADDRESS, 0),

  /** Bytes waiting to be read (FIONREAD). */
  SIOCINQ(Kind.IOCTL, 0x541B),
  /** Bytes not yet acknowledged (TIOCOUTQ). */
  SIOCOUTQ(Kind.IOCTL, 0x5411),
  FIONREAD(Kind.IOCTL, 0x541B),
  /** Bytes written and not yet sent (linux/sockios.h; not in packetdrill's table). */
  SIOCOUTQNSD(Kind.IOCTL, 0x894B),
  /** Whether the next byte to read is the urgent mark (asm/sockios.h; not in packetdrill's table). */
  SIOCATMARK(Kind.IOCTL, 0x8905),
  FIONBIO(Kind.IOCTL, 0x5421),
  SIOCADDRT(Kind.IOCTL, 0x890B),
  SIOCGIFFLAGS(Kind.IOCTL, 0x8913),
  SIOCSIFFLAGS(Kind.IOCTL, 0x8914),
  SIOCSIFADDR(Kind.IOCTL, 0x8916),
  SIOCSIFNETMASK(Kind.IOCTL, 0x891C),
  SIOCSIFMTU(Kind.IOCTL, 0x8922),
  SIOCGIFINDEX(Kind.IOCTL, 0x8933),
  SIOCSIFTXQLEN(Kind.IOCTL, 0x8943),

  IFF_UP(Kind.INTERFACE_FLAG, 0x1),
  IFF_RUNNING(Kind.INTERFACE_FLAG, 0x40),
  RTF_UP(Kind.ROUTE_FLAG, 0x1),

  /** Every protocol, for a packet socket (include/uapi/linux/if_ether.h; host byte order). */
  ETH_P_ALL(Kind.ETHERNET_PROTOCOL, 0x0003),
  CLONE_NEWNET(Kind.NAMESPACE_FLAG, 0x40000000),
  EFD_NONBLOCK(Kind.EVENTFD_FLAG, 0x800),
  EFD_CLOEXEC(Kind.EVENTFD_FLAG, 0x80000),

  /** cap_flag_t and cap_flag_value_t of libcap (sys/capability.h), for cap_set(). */
  CAP_EFFECTIVE(Kind.CAPABILITY_SET, 0),
  CAP_PERMITTED(Kind.CAPABILITY_SET, 1),
  CAP_INHERITABLE(Kind.CAPABILITY_SET, 2),
  CAP_CLEAR(Kind.CAPABILITY_SET, 0),
  CAP_SET(Kind.CAPABILITY_SET, 1),
  /** Capabilities (include/uapi/linux/capability.h). */
  CAP_CHOWN(Kind.CAPABILITY, 0),
  CAP_DAC_OVERRIDE(Kind.CAPABILITY, 1),
  CAP_DAC_READ_SEARCH(Kind.CAPABILITY, 2),
  CAP_FOWNER(Kind.CAPABILITY, 3),
  CAP_FSETID(Kind.CAPABILITY, 4),
  CAP_KILL(Kind.CAPABILITY, 5),
  CAP_SETGID(Kind.CAPABILITY, 6),
  CAP_SETUID(Kind.CAPABILITY, 7),
  CAP_SETPCAP(Kind.CAPABILITY, 8),
  CAP_LINUX_IMMUTABLE(Kind.CAPABILITY, 9),
  CAP_NET_BIND_SERVICE(Kind.CAPABILITY, 10),
  CAP_NET_BROADCAST(Kind.CAPABILITY, 11),
  CAP_NET_ADMIN(Kind.CAPABILITY, 12),
  CAP_NET_RAW(Kind.CAPABILITY, 13),
  CAP_IPC_LOCK(Kind.CAPABILITY, 14),
  CAP_IPC_OWNER(Kind.CAPABILITY, 15),
  CAP_SYS_MODULE(Kind.CAPABILITY, 16),
  CAP_SYS_RAWIO(Kind.CAPABILITY, 17),
  CAP_SYS_CHROOT(Kind.CAPABILITY, 18),
  CAP_SYS_PTRACE(Kind.CAPABILITY, 19),
  CAP_SYS_PACCT(Kind.CAPABILITY, 20),
  CAP_SYS_ADMIN(Kind.CAPABILITY, 21),
  CAP_SYS_BOOT(Kind.CAPABILITY, 22),
  CAP_SYS_NICE(Kind.CAPABILITY, 23),
  CAP_SYS_RESOURCE(Kind.CAPABILITY, 24),
  CAP_SYS_TIME(Kind.CAPABILITY, 25),
  CAP_SYS_TTY_CONFIG(Kind.CAPABILITY, 26),
  CAP_MKNOD(Kind.CAPABILITY, 27),
  CAP_LEASE(Kind.CAPABILITY, 28),
  CAP_AUDIT_WRITE(Kind.CAPABILITY, 29),
  CAP_AUDIT_CONTROL(Kind.CAPABILITY, 30),
  CAP_SETFCAP(Kind.CAPABILITY, 31),
  CAP_MAC_OVERRIDE(Kind.CAPABILITY, 32),
  CAP_MAC_ADMIN(Kind.CAPABILITY, 33),
  CAP_SYSLOG(Kind.CAPABILITY, 34),
  CAP_WAKE_ALARM(Kind.CAPABILITY, 35),
  CAP_BLOCK_SUSPEND(Kind.CAPABILITY, 36);

  /** What a symbol names. */
  public enum Kind {
    ADDRESS_FAMILY,
    SOCKET_TYPE,
    SOCKET_TYPE_FLAG,
    PROTOCOL,
    LEVEL,
    SOCKET_OPTION,
    TCP_OPTION,
    IP_OPTION,
    IPV6_OPTION,
    PACKET_OPTION,
    MESSAGE_FLAG,
    FILE_FLAG,
    FCNTL_COMMAND,
    FD_FLAG,
    POLL_EVENT,
    SHUTDOWN_HOW,
    TCP_STATE,
    CA_STATE,
    TCPI_OPTION,
    TCP_CONSTANT,
    ADDRESS,
    IOCTL,
    INTERFACE_FLAG,
    ROUTE_FLAG,
    ETHERNET_PROTOCOL,
    NAMESPACE_FLAG,
    EVENTFD_FLAG,
    ERROR_ORIGIN,
    ERROR_CODE,
    TIMESTAMPING_FLAG,
    CONTROL_MESSAGE,
    TIMESTAMP_KIND,
    TCP_STATS_ATTRIBUTE,
    PMTU_DISCOVERY,
    FILE_LOCK,
    SEEK_WHENCE,
    EPOLL_EVENT,
    EPOLL_OPERATION,
    SPLICE_FLAG,
    CAPABILITY_SET,
    CAPABILITY;

    /** The level setsockopt takes options of this kind at (SOL_SOCKET for SO_*); empty otherwise. */
    public Optional<Symbol> level() {
      return Optional.ofNullable(switch (this) {
        case SOCKET_OPTION -> SOL_SOCKET;
        case TCP_OPTION -> SOL_TCP;
        case IP_OPTION -> SOL_IP;
        case IPV6_OPTION -> SOL_IPV6;
        case PACKET_OPTION -> SOL_PACKET;
        default -> null;
      });
    }
  }

  private static final Map<String, Symbol> BY_NAME = new HashMap<>();
  private static final Map<Long, Symbol> OPTIONS = new HashMap<>();

  static {
    for (Symbol s : values()) {
      BY_NAME.put(s.name(), s);
      s.kind.level().ifPresent(level -> OPTIONS.putIfAbsent(optionKey(level.value, s.value), s));
    }
  }

  private final Kind kind;
  private final int value;

  Symbol(Kind kind, int value) {
    this.kind = kind;
    this.value = value;
  }

  public Kind kind() {
    return kind;
  }

  /** The number C code passes for this name. */
  public int value() {
    return value;
  }

  /** The symbol a script or C source means by {@code name} ("SO_REUSEADDR"); empty if unknown. */
  public static Optional<Symbol> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * The number a script means by {@code name}: a symbol of this table, else an errno name ({@code
   * ECONNREFUSED} is 111), as packetdrill's symbol_to_int looks names up; empty if neither.
   */
  public static OptionalLong numberOf(String name) {
    Symbol s = BY_NAME.get(name);
    if (s != null) return OptionalLong.of(s.value);
    return Errno.byName(name).map(e -> OptionalLong.of(e.number())).orElse(OptionalLong.empty());
  }

  /** The socket option a setsockopt/getsockopt (level, optname) pair names; empty if unknown. */
  public static Optional<Symbol> option(int level, int name) {
    return Optional.ofNullable(OPTIONS.get(optionKey(level, name)));
  }

  private static long optionKey(int level, int name) {
    return ((long) level << 32) | (name & 0xFFFF_FFFFL);
  }
}
