package io.mysos.endpoints;

import com.typesafe.config.ConfigFactory;
import io.mysos.core.endpoint.Targets;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's two stable endpoints: a read-write and a read-only port that forward each
 * connection, byte for byte (the MySQL protocol, TLS included, passes unchanged), to the instance
 * the cluster's {@link Targets} name at the time it connects. It knows the cluster only through the
 * targets it is given ({@link #update}); whoever follows the cluster (Mysos itself, or
 * {@code mysos router} through the API) feeds them.
 *
 * <p>Netty, with its native epoll transport on Linux (NIO elsewhere): a connection and its way to the
 * instance share one event loop thread, so a packet crosses the endpoint without a hand-over between
 * threads; what one side reads is written to the other at once and flushed once per read (one
 * system call per packet and direction); a side stops reading while the other cannot take more
 * (backpressure by writability). Akka Streams TCP was measured first and cost about half of sysbench's
 * throughput on this path; HAProxy costs what this does (see docs/user-guide.md, "What the endpoints cost").
 */
public final class EndpointForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointForwarder.class);
    private static final boolean EPOLL = Epoll.isAvailable();
    /**
     * Shared by every endpoint of the process: forwarding is I/O, {@code mysos.endpoints.event-loops} threads carry it
     * (read once, from reference.conf or {@code -Dmysos.endpoints.event-loops=N}).
     */
    private static final EventLoopGroup LOOPS = loops(ConfigFactory.load().getInt("mysos.endpoints.event-loops"));

    private static EventLoopGroup loops(int threads) {
        var factory = new DefaultThreadFactory("mysos-endpoints", true);
        if (EPOLL) {
            LOG.info("Endpoints forward with Netty's native epoll transport, {} event loop(s)", threads);
            return new EpollEventLoopGroup(threads, factory);
        }
        LOG.info("Endpoints forward with Netty NIO, {} event loop(s) (native epoll: {})", threads, Epoll.unavailabilityCause().toString());
        return new NioEventLoopGroup(threads, factory);
    }

    private static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private static Class<? extends Channel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * How connections from this host travel: {@code USER} through this process (Netty), {@code KERNEL} straight to the
     * instance by the host's netfilter ({@link KernelForwarding}; connections from other hosts and those that wait
     * through a failover still go through this process).
     */
    public enum Forwarding {
        USER, KERNEL;

        /** {@code user} or {@code kernel}, as the flag and the configuration write it. */
        public static Forwarding parse(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "user" -> USER;
                case "kernel" -> KERNEL;
                default -> throw new IllegalArgumentException("endpoint forwarding is 'user' or 'kernel', not '" + text + "'");
            };
        }
    }

    /**
     * Why endpoints listening on {@code listenHost} cannot be forwarded by the kernel on this host (a tool missing, no
     * right to change netfilter tables, not IPv4), or nothing when they can: for a start to refuse at once.
     */
    public static Optional<String> kernelUnavailable(String listenHost) {
        return KernelForwarding.unavailable(listenHost);
    }

    private final String cluster;
    private final RouteTable table = new RouteTable();
    private final Duration connectWait;
    private volatile List<Channel> listeners = List.of();
    private volatile Optional<KernelForwarding> kernel = Optional.empty();

    private EndpointForwarder(String cluster, Duration connectWait) {
        this.cluster = cluster;
        this.connectWait = connectWait;
    }

    /**
     * Listens on {@code host} at {@code readWritePort} and {@code readOnlyPort} (0: any free port).
     * A connection that arrives while its endpoint has no target waits for one up to {@code connectWait}, then is closed.
     */
    public static CompletionStage<EndpointForwarder> start(String cluster, String host, int readWritePort, int readOnlyPort,
                                                           Duration connectWait) {
        return start(cluster, host, readWritePort, readOnlyPort, connectWait, Forwarding.USER);
    }

    /**
     * As {@link #start(String, String, int, int, Duration)}, forwarding as {@code forwarding} says; with {@code KERNEL}
     * the start fails, saying why, where the kernel cannot forward (tools missing, no CAP_NET_ADMIN, not IPv4).
     */
    public static CompletionStage<EndpointForwarder> start(String cluster, String host, int readWritePort, int readOnlyPort,
                                                           Duration connectWait, Forwarding forwarding) {
        var forwarder = new EndpointForwarder(cluster, connectWait);
        var rw = forwarder.listen(Role.READ_WRITE, host, readWritePort);
        var ro = forwarder.listen(Role.READ_ONLY, host, readOnlyPort);
        return rw.thenCombine(ro, (a, b) -> {
            forwarder.listeners = List.of(a, b);
            if (forwarding == Forwarding.KERNEL) {
                forwarder.kernel = Optional.of(KernelForwarding.start(cluster, host, forwarder.port(Role.READ_WRITE),
                        forwarder.port(Role.READ_ONLY)));
                LOG.info("Endpoints of {}: connections from this host are forwarded by the kernel (nftables table {})", cluster,
                        io.mysos.core.endpoint.KernelRoutes.table(forwarder.port(Role.READ_WRITE), forwarder.port(Role.READ_ONLY)));
            }
            return forwarder;
        }).whenComplete((f, e) -> {
            if (e != null) {
                rw.thenAccept(Channel::close);
                ro.thenAccept(Channel::close);
            }
        });
    }

    /** Routes new connections by {@code targets}, and closes those to instances they leave out; an older epoch is ignored. */
    public boolean update(Targets targets) {
        Targets before;
        boolean taken;
        synchronized (this) {
            before = table.current();
            taken = table.update(targets);
            if (taken && !targets.equals(before)) {
                kernel.ifPresent(k -> routeInKernel(k, targets));
            }
        }
        if (taken && !targets.equals(before)) {
            LOG.info("Endpoints of {}: epoch {}, read-write {}, read-only {}", cluster, targets.epoch(),
                    targets.readWrite().map(t -> t.taskId() + " " + t.address()).orElse("fenced (connections wait)"),
                    targets.readOnly().stream().map(t -> t.taskId()).toList());
        } else if (!taken) {
            LOG.warn("Endpoints of {}: ignored targets of epoch {}, older than epoch {}", cluster, targets.epoch(), before.epoch());
        }
        return taken;
    }

    private void routeInKernel(KernelForwarding forwarding, Targets targets) {
        try {
            forwarding.route(targets);
        } catch (KernelForwarding.Unavailable e) {
            // Logged there; the table is gone, so every connection reaches the listeners, which route by the same targets.
        }
    }

    public Targets targets() {
        return table.current();
    }

    public int port(Role role) {
        return ((InetSocketAddress) listeners.get(role.ordinal()).localAddress()).getPort();
    }

    /** Stops listening and closes every forwarded connection. */
    public CompletionStage<Void> close() {
        synchronized (this) {
            table.update(new Targets(Long.MAX_VALUE, Optional.empty(), List.of()));
            kernel.ifPresent(KernelForwarding::close);
            kernel = Optional.empty();
        }
        return CompletableFuture.allOf(listeners.stream().map(c -> completion(c.close())).toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Channel> listen(Role role, String host, int port) {
        var bootstrap = new ServerBootstrap().group(LOOPS).channel(serverChannel())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel inbound) {
                        accept(role, inbound);
                    }
                });
        var bound = bootstrap.bind(host, port);
        return completion(bound).thenApply(v -> bound.channel());
    }

    /** The client connected: nothing is read from it until its instance is there (the server speaks first). */
    private void accept(Role role, Channel inbound) {
        table.await(role, connectWait).whenComplete((lease, failure) -> {
            if (failure != null || !inbound.isActive()) {
                inbound.close();
                return;
            }
            connect(inbound, lease);
        });
    }

    private void connect(Channel inbound, RouteTable.Lease lease) {
        var target = lease.target();
        var outboundSide = new Bootstrap().group(inbound.eventLoop()).channel(socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new Relay(inbound));
        outboundSide.connect(target.host(), target.port()).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                inbound.close();
                return;
            }
            var outbound = connected.channel();
            Fence.Connection pair = () -> {
                inbound.close();
                outbound.close();
            };
            if (!lease.fence().add(pair)) {
                return;
            }
            inbound.closeFuture().addListener(f -> {
                lease.fence().remove(pair);
                closeOnFlush(outbound);
            });
            outbound.closeFuture().addListener(f -> {
                lease.fence().remove(pair);
                closeOnFlush(inbound);
            });
            inbound.pipeline().addLast(new Relay(outbound));
            inbound.config().setAutoRead(true);
            outbound.config().setAutoRead(true);
        });
    }

    /**
     * Writes what one side reads to the other, flushed once per read-complete (a MySQL statement or its answer is
     * usually one read); stops reading while the other side's outbound buffer is above its high water
     * mark, and reads again when it drains.
     */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel to;

        Relay(Channel to) {
            this.to = to;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            to.write(msg, to.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            to.flush();
            if (!to.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        /** This side drained below its low water mark: the other side, paused for it, reads again. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                to.config().setAutoRead(true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(to);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.channel().close();
        }
    }

    private static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static CompletableFuture<Void> completion(ChannelFuture future) {
        var done = new CompletableFuture<Void>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }
}
