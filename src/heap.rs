//! The wasm module's allocator: blocks in power-of-two size classes, each class with a free
//! list, carved from the end of linear memory, which grows as needed. A freed block goes back on
//! its class's list and the next allocation of that class takes it, so a page that repeats its
//! calls reuses the same blocks and linear memory stays flat (the leak test checks it); what is
//! given up against a general allocator (talc, dlmalloc) is splitting and merging blocks of
//! different classes, for a small fraction of their code (BENCHMARKS.md §2). A block's class is
//! worked out again from the layout Rust passes back, so blocks carry no header. The module is
//! single-threaded, so the allocator needs no lock.
//!
//! Which class a layout takes is plain arithmetic, tested natively below; only the free lists
//! and `memory.grow` are wasm's.

/// The smallest block: room for the free list's link, on every target.
const MIN_BLOCK: usize = 8;

/// The largest alignment a block is placed at: blocks of a class up to this size are aligned
/// to their size, larger ones to this (so a layout asking for more alignment than this, which
/// nothing in the crate does, is refused).
const MAX_ALIGN: usize = 4096;

/// The class (the block is `1 << class` bytes) for a layout of `size` bytes aligned to
/// `align`, or None for one that cannot be served.
fn class_of(size: usize, align: usize) -> Option<usize> {
    if align > MAX_ALIGN {
        return None;
    }
    let block = size.max(align).max(MIN_BLOCK).checked_next_power_of_two()?;
    Some(block.trailing_zeros() as usize)
}

/// Where a block of `1 << class` bytes is placed: at a multiple of this.
fn placement(class: usize) -> usize {
    (1usize << class).min(MAX_ALIGN)
}

/// `at` rounded up to a multiple of `align` (a power of two), or None past the address space.
fn align_up(at: usize, align: usize) -> Option<usize> {
    Some(at.checked_add(align - 1)? & !(align - 1))
}

/// The class of the free block that starts a gap at `at` (a nonzero multiple of `MIN_BLOCK`)
/// skipped to align a new block: the largest `at` is aligned to. Taken block by block from the
/// gap's start, these tile the gap up to the next multiple of any larger power of two exactly,
/// each placed as its class needs, so the padding of one class serves the smaller ones instead
/// of being lost.
fn gap_class(at: usize) -> usize {
    at.trailing_zeros() as usize
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::{align_up, class_of, gap_class, placement, MIN_BLOCK};
    use std::alloc::{GlobalAlloc, Layout};
    use std::cell::UnsafeCell;
    use std::ptr::null_mut;

    const PAGE: usize = 65536;
    /// The fewest pages memory grows by (256 KB).
    const GROWTH: usize = 4;

    /// The allocator's state: the head of each class's free list (0 when empty; a free block
    /// holds the address of the next one) and the unused end of linear memory.
    struct State {
        free: [usize; usize::BITS as usize],
        next: usize,
        end: usize,
    }

    /// See the [module docs](super).
    pub(crate) struct SizeClasses(UnsafeCell<State>);

    // The module has one thread: the state is never reached from two at once.
    unsafe impl Sync for SizeClasses {}

    impl SizeClasses {
        /// An allocator with nothing free yet.
        pub(crate) const fn new() -> Self {
            SizeClasses(UnsafeCell::new(State {
                free: [0; usize::BITS as usize],
                next: 0,
                end: 0,
            }))
        }
    }

    impl State {
        /// A new block of `1 << class` bytes from the end of memory, grown if needed.
        fn carve(&mut self, class: usize) -> *mut u8 {
            let size = 1usize << class;
            let mut start = match align_up(self.next, placement(class)) {
                Some(start) => start,
                None => return null_mut(),
            };
            if start.checked_add(size).is_none_or(|stop| stop > self.end) {
                // At least GROWTH pages at a time, so small blocks seldom grow memory.
                let pages = size.div_ceil(PAGE).max(GROWTH);
                let old = core::arch::wasm32::memory_grow(0, pages);
                if old == usize::MAX {
                    return null_mut();
                }
                let (Some(grown), Some(added)) = (old.checked_mul(PAGE), pages.checked_mul(PAGE))
                else {
                    return null_mut();
                };
                if grown != self.end {
                    // The first growth, or memory grown by someone else: carve from the new pages.
                    self.next = grown;
                }
                self.end = grown.saturating_add(added);
                start = match align_up(self.next, placement(class)) {
                    Some(start) if start.checked_add(size).is_some_and(|stop| stop <= self.end) => {
                        start
                    }
                    _ => return null_mut(),
                };
            }
            // The padding before the block goes to the free lists of the classes that fit it.
            while self.next < start {
                // What gap_class needs: every block ends at a multiple of MIN_BLOCK.
                debug_assert!(self.next != 0 && self.next % MIN_BLOCK == 0);
                let class = gap_class(self.next);
                // SAFETY: the gap is memory of ours that no block holds.
                unsafe { self.push(self.next, class) };
                self.next += 1 << class;
            }
            self.next = start + size;
            start as *mut u8
        }

        /// Puts the free block at `block` on its class's list.
        ///
        /// # Safety
        /// `block` is a block of `1 << class` bytes, placed as its class needs, that nothing uses.
        unsafe fn push(&mut self, block: usize, class: usize) {
            unsafe { *(block as *mut usize) = self.free[class] };
            self.free[class] = block;
        }
    }

    unsafe impl GlobalAlloc for SizeClasses {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let Some(class) = class_of(layout.size(), layout.align()) else {
                return null_mut();
            };
            // SAFETY: one thread, and no allocation happens while the state is borrowed.
            let state = unsafe { &mut *self.0.get() };
            let head = state.free[class];
            if head == 0 {
                return state.carve(class);
            }
            // SAFETY: a free block of this class holds the next free block's address.
            state.free[class] = unsafe { *(head as *const usize) };
            head as *mut u8
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            let Some(class) = class_of(layout.size(), layout.align()) else {
                return;
            };
            // SAFETY: as in alloc; `ptr` is a block of this class that nothing uses any more.
            let state = unsafe { &mut *self.0.get() };
            unsafe { state.push(ptr as usize, class) };
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if class_of(new_size, layout.align()) == class_of(layout.size(), layout.align()) {
                return ptr;
            }
            // SAFETY: the caller's contract for realloc is the one alloc and dealloc need.
            unsafe {
                let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                let new = self.alloc(new_layout);
                if !new.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                    self.dealloc(ptr, layout);
                }
                new
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use wasm::SizeClasses;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_layouts_share_the_smallest_class() {
        assert_eq!(class_of(0, 1), Some(3));
        assert_eq!(class_of(1, 1), Some(3));
        assert_eq!(class_of(8, 8), Some(3));
        assert_eq!(class_of(9, 1), Some(4));
        assert_eq!(class_of(4, 16), Some(4));
        assert_eq!(class_of(usize::MAX, 1), None);
        assert_eq!(class_of(8, 8192), None);
    }

    proptest! {
        /// A block of a layout's class holds it, at most twice as large as it needs, and is
        /// placed so that the layout's alignment holds.
        #[test]
        fn a_class_fits_its_layout(size in 0usize..(1 << 24), align_log in 0u32..13) {
            let align = 1usize << align_log;
            let class = class_of(size, align).unwrap();
            let block = 1usize << class;
            prop_assert!(block >= size.max(align).max(MIN_BLOCK));
            prop_assert!(block < 2 * size.max(align).max(MIN_BLOCK));
            prop_assert_eq!(placement(class) % align, 0);
        }

        /// The same layout always takes the same class, so a block freed with the layout it
        /// was allocated with goes back to the list it came from.
        #[test]
        fn a_grown_layout_keeps_its_class_within_the_block(size in 1usize..(1 << 20), grow in 0usize..(1 << 20)) {
            let class = class_of(size, 1).unwrap();
            let fits = size + grow <= 1 << class;
            prop_assert_eq!(class_of(size + grow, 1) == Some(class), fits);
        }

        /// The padding skipped to place a block of any class, from wherever the last block
        /// ended, is tiled exactly by the gap's blocks, each placed as its class needs.
        #[test]
        fn a_gap_is_tiled_by_blocks_placed_for_their_class(
            at_blocks in 1usize..(1 << 24),
            class in 3usize..24,
        ) {
            let at = at_blocks * MIN_BLOCK;
            let start = align_up(at, placement(class)).unwrap();
            let mut next = at;
            while next < start {
                let c = gap_class(next);
                prop_assert!(1usize << c >= MIN_BLOCK);
                prop_assert_eq!(next % placement(c), 0);
                next += 1 << c;
            }
            prop_assert_eq!(next, start);
        }

        #[test]
        fn align_up_rounds_to_the_next_multiple(at in 0usize..(1 << 40), align_log in 0u32..16) {
            let align = 1usize << align_log;
            let up = align_up(at, align).unwrap();
            prop_assert!(up >= at && up - at < align && up % align == 0);
        }
    }
}
