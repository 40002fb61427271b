//! Applies a layer only to requests that carry a given header.
//!
//! CORS only concerns requests with `Origin`, and compression only requests with
//! `Accept-Encoding`. Without the header both layers would do nothing useful but still wrap
//! the request and add `Vary` headers; skipping them keeps health probes and server-to-server
//! calls cheap. Browsers send both headers, so they get both layers.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::body::Body;
use axum::http::{HeaderName, Request, Response};
use tower::{Layer, Service};

#[derive(Clone)]
pub struct WhenHeaderLayer<L> {
    header: HeaderName,
    layer: L,
}

impl<L> WhenHeaderLayer<L> {
    pub fn new(header: HeaderName, layer: L) -> Self {
        Self { header, layer }
    }
}

impl<L, S> Layer<S> for WhenHeaderLayer<L>
where
    L: Layer<S>,
    S: Clone,
{
    type Service = WhenHeader<L::Service, S>;

    fn layer(&self, inner: S) -> Self::Service {
        WhenHeader {
            with: self.layer.layer(inner.clone()),
            without: inner,
            header: self.header.clone(),
        }
    }
}

#[derive(Clone)]
pub struct WhenHeader<A, B> {
    with: A,
    without: B,
    header: HeaderName,
}

impl<A, B, ReqBody, BodyA, BodyB, E> Service<Request<ReqBody>> for WhenHeader<A, B>
where
    A: Service<Request<ReqBody>, Response = Response<BodyA>, Error = E>,
    B: Service<Request<ReqBody>, Response = Response<BodyB>, Error = E>,
    BodyA: http_body::Body<Data = axum::body::Bytes> + Send + 'static,
    BodyA::Error: Into<axum::BoxError>,
    BodyB: http_body::Body<Data = axum::body::Bytes> + Send + 'static,
    BodyB::Error: Into<axum::BoxError>,
{
    type Response = Response<Body>;
    type Error = E;
    type Future = WhenHeaderFuture<A::Future, B::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), E>> {
        ready!(self.with.poll_ready(cx))?;
        self.without.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        if request.headers().contains_key(&self.header) {
            WhenHeaderFuture::With {
                future: self.with.call(request),
            }
        } else {
            WhenHeaderFuture::Without {
                future: self.without.call(request),
            }
        }
    }
}

pin_project_lite::pin_project! {
    #[project = Branch]
    pub enum WhenHeaderFuture<FA, FB> {
        With { #[pin] future: FA },
        Without { #[pin] future: FB },
    }
}

impl<FA, FB, BodyA, BodyB, E> Future for WhenHeaderFuture<FA, FB>
where
    FA: Future<Output = Result<Response<BodyA>, E>>,
    FB: Future<Output = Result<Response<BodyB>, E>>,
    BodyA: http_body::Body<Data = axum::body::Bytes> + Send + 'static,
    BodyA::Error: Into<axum::BoxError>,
    BodyB: http_body::Body<Data = axum::body::Bytes> + Send + 'static,
    BodyB::Error: Into<axum::BoxError>,
{
    type Output = Result<Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(match self.project() {
            Branch::With { future } => ready!(future.poll(cx)).map(|r| r.map(Body::new)),
            Branch::Without { future } => ready!(future.poll(cx)).map(|r| r.map(Body::new)),
        })
    }
}
