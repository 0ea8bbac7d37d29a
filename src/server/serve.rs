//! The accept loop: each connection is served as HTTP/1.1 by hyper, with
//! the settings axum's `serve` does not expose.
//!
//! - HTTP/1.1 from the first byte. axum's `serve` first sniffs each
//!   connection's protocol version, and the HTTP/1 connection then carries
//!   what the sniffing read and its wrapper for its whole life; an open
//!   event stream lives for hours. Measured with 10,000 open streams
//!   (bench/streams.mjs, jemalloc): 257 MiB (21.8 KiB a stream) with axum's
//!   `serve`, 164 MiB (12.3 KiB) here. Eko speaks HTTP/1.1; a TLS proxy in
//!   front may speak HTTP/2 to browsers.
//! - A request head must arrive within `Settings::header_read_timeout`: a
//!   client that opens connections and trickles bytes holds nothing for long
//!   (axum's `serve` sets no timer, so hyper's timeout was off).
//! - `TCP_NODELAY`: small writes (a page's last chunk, an event) go out at
//!   once; with Nagle's algorithm each response on a kept-alive connection
//!   waited for the client's delayed ACK (~40 ms).
//!
//! Graceful stop: once `stop` resolves, no connection is accepted, each
//! open one finishes the response in flight and closes, and the future
//! returns when the last one has.

use std::{future::Future, net::SocketAddr, pin::pin, time::Duration};

use axum::{
    body::Body,
    extract::{ConnectInfo, Request},
    serve::{Listener, ListenerExt},
    Router,
};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto::Builder,
    service::TowerToHyperService,
};
use tokio::{net::TcpListener, sync::watch};
use tower::ServiceExt;

/// Serves `router` on `listener` until `stop` resolves and the last
/// connection has finished.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_read_timeout: Duration,
    stop: impl Future<Output = ()> + Send + 'static,
) {
    // axum's listener retries what a failed accept can recover from (a
    // full file table: it waits a second) and skips aborted connections.
    let mut listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(error = %err, "could not set TCP_NODELAY");
        }
    });
    // Every connection holds a receiver: `open` sees when the last is gone.
    let (open, held) = watch::channel(());
    let (stopping, told) = watch::channel(false);
    let mut stop = pin!(stop);
    loop {
        let (io, remote) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut stop => break,
        };
        let conn = connection(io, remote, router.clone(), header_read_timeout, told.clone(), held.clone());
        tokio::spawn(conn);
    }
    drop(listener);
    let _ = stopping.send(true);
    drop(held);
    open.closed().await;
}

async fn connection(
    io: tokio::net::TcpStream,
    remote: SocketAddr,
    router: Router,
    header_read_timeout: Duration,
    mut stopping: watch::Receiver<bool>,
    _held: watch::Receiver<()>,
) {
    // hyper-util's adapter from a tower service to a hyper one, as axum's
    // `serve` uses it.
    let service = TowerToHyperService::new(router.map_request(move |req: Request<Incoming>| {
        let mut req = req.map(Body::new);
        req.extensions_mut().insert(ConnectInfo(remote));
        req
    }));
    let mut http = Builder::new(TokioExecutor::new()).http1_only();
    http.http1().timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    let mut conn = pin!(http.serve_connection(TokioIo::new(io), service));
    let mut told = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(err) = result {
                    tracing::trace!(error = %err, "connection ended with an error");
                }
                return;
            }
            _ = stopping.wait_for(|stop| *stop), if !told => {
                told = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}
