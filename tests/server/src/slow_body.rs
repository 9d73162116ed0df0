//! A response body that trickles out in a few chunks over a given time.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame};
use tokio::time::{sleep, Instant, Sleep};

/// How many pieces a slow body is cut into.
const CHUNKS: u32 = 5;

/// Sends `CHUNKS` pieces of the body, one every `total / CHUNKS`, so the body ends
/// about `total` after the headers. Dropping it (client gone) stops it.
pub(crate) struct SlowBody {
    chunks: VecDeque<Bytes>,
    interval: Duration,
    timer: Pin<Box<Sleep>>,
}

impl SlowBody {
    pub fn new(body: Bytes, total: Duration) -> Self {
        let pieces = CHUNKS as usize;
        let size = body.len().div_ceil(pieces).max(1);
        let chunks = (0..pieces)
            .map(|i| {
                let start = (i * size).min(body.len());
                let end = ((i + 1) * size).min(body.len());
                body.slice(start..end)
            })
            .collect();
        let interval = total / CHUNKS;
        Self {
            chunks,
            interval,
            timer: Box::pin(sleep(interval)),
        }
    }
}

impl Body for SlowBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        loop {
            if self.chunks.is_empty() {
                return Poll::Ready(None);
            }
            ready!(self.timer.as_mut().poll(cx));
            let next = Instant::now() + self.interval;
            self.timer.as_mut().reset(next);
            if let Some(chunk) = self.chunks.pop_front() {
                if !chunk.is_empty() {
                    return Poll::Ready(Some(Ok(Frame::data(chunk))));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test(start_paused = true)]
    async fn body_arrives_whole_after_the_total_time() {
        let started = Instant::now();
        let body = SlowBody::new(
            Bytes::from_static(b"0123456789ab"),
            Duration::from_millis(500),
        );
        let bytes = body.collect().await.expect("infallible").to_bytes();
        assert_eq!(&bytes[..], b"0123456789ab");
        assert_eq!(started.elapsed(), Duration::from_millis(500));
    }

    #[tokio::test(start_paused = true)]
    async fn empty_body_still_takes_the_total_time() {
        let started = Instant::now();
        let body = SlowBody::new(Bytes::new(), Duration::from_millis(100));
        let bytes = body.collect().await.expect("infallible").to_bytes();
        assert!(bytes.is_empty());
        assert_eq!(started.elapsed(), Duration::from_millis(100));
    }
}
