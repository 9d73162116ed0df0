//! Two futures raced: the output of whichever finishes first, the left one polled first (so it
//! wins a tie), as `futures`' `select` does. The loser is dropped when the race ends, which is how
//! it is cancelled (an attempt's timer cleared, a slot wait left).

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

/// Which side of a [`race`] finished first, with its output.
#[derive(Debug)]
pub(crate) enum Either<A, B> {
    /// The left future finished first (or both did in the same poll).
    Left(A),
    /// The right future finished first.
    Right(B),
}

/// Runs `left` and `right` together and gives the output of the first to finish; the other is
/// dropped with the race. Neither needs to be `Unpin`.
pub(crate) async fn race<A: Future, B: Future>(left: A, right: B) -> Either<A::Output, B::Output> {
    let mut left = pin!(left);
    let mut right = pin!(right);
    poll_fn(|cx| {
        if let Poll::Ready(output) = left.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(output));
        }
        right.as_mut().poll(cx).map(Either::Right)
    })
    .await
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::web::test_wakers::counting;
    use std::cell::Cell;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::task::Context;

    /// Ready with its value on its `polls_left`-th poll; sets its flag when dropped.
    struct After {
        polls_left: u32,
        value: u32,
        dropped: Rc<Cell<bool>>,
    }

    impl Future for After {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u32> {
            self.polls_left -= 1;
            if self.polls_left == 0 {
                Poll::Ready(self.value)
            } else {
                Poll::Pending
            }
        }
    }

    impl Drop for After {
        fn drop(&mut self) {
            self.dropped.set(true);
        }
    }

    fn after(polls: u32, value: u32) -> (After, Rc<Cell<bool>>) {
        let dropped = Rc::new(Cell::new(false));
        let future = After {
            polls_left: polls,
            value,
            dropped: dropped.clone(),
        };
        (future, dropped)
    }

    fn run<F: Future>(future: F) -> F::Output {
        let (_, waker) = counting();
        let mut cx = Context::from_waker(&waker);
        let mut future = pin!(future);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }

    #[test]
    fn the_first_to_finish_wins_and_the_loser_is_dropped() {
        let (slow, slow_dropped) = after(3, 1);
        let (fast, fast_dropped) = after(2, 2);
        assert!(matches!(run(race(slow, fast)), Either::Right(2)));
        assert!(slow_dropped.get() && fast_dropped.get());
        let (fast, _) = after(1, 3);
        let (slow, _) = after(5, 4);
        assert!(matches!(run(race(fast, slow)), Either::Left(3)));
    }

    #[test]
    fn the_left_side_wins_a_tie() {
        let (left, _) = after(2, 1);
        let (right, _) = after(2, 2);
        assert!(matches!(run(race(left, right)), Either::Left(1)));
    }
}
