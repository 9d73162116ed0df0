//! Fixed-window quotas for `/r?quota=Q&window=MS`: each key may have `Q` answered hits per
//! window; the window starts at the first hit after the previous one ended.

/// One key's current window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Window {
    /// When it started, in ms since server start.
    start_ms: u64,
    /// Hits let through in it.
    used: u64,
    /// Whether any hit has started a window yet.
    started: bool,
}

/// What one hit got from the quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grant {
    /// Whether the hit is within the quota (otherwise it is answered 429).
    pub allowed: bool,
    /// Hits still allowed in this window, after this one.
    pub remaining: u64,
    /// Milliseconds until the window ends (at least 1).
    pub reset_ms: u64,
}

impl Window {
    /// Counts a hit at `now_ms` against `quota` hits per `window_ms` (at least 1 ms).
    pub fn take(&mut self, quota: u64, window_ms: u64, now_ms: u64) -> Grant {
        let window_ms = window_ms.max(1);
        if !self.started || now_ms >= self.start_ms.saturating_add(window_ms) {
            *self = Self {
                start_ms: now_ms,
                used: 0,
                started: true,
            };
        }
        let allowed = self.used < quota;
        if allowed {
            self.used += 1;
        }
        Grant {
            allowed,
            remaining: quota.saturating_sub(self.used),
            reset_ms: (self.start_ms + window_ms).saturating_sub(now_ms).max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_then_refuses_until_the_window_ends() {
        let mut window = Window::default();
        let grant = |allowed, remaining, reset_ms| Grant {
            allowed,
            remaining,
            reset_ms,
        };
        assert_eq!(window.take(2, 1000, 100), grant(true, 1, 1000));
        assert_eq!(window.take(2, 1000, 400), grant(true, 0, 700));
        assert_eq!(window.take(2, 1000, 1099), grant(false, 0, 1));
        // A new window starts with the first hit after the old one ended.
        assert_eq!(window.take(2, 1000, 1500), grant(true, 1, 1000));
    }

    #[test]
    fn a_zero_quota_refuses_everything() {
        let mut window = Window::default();
        assert!(!window.take(0, 1000, 0).allowed);
        assert!(!window.take(0, 1000, 5000).allowed);
    }
}
