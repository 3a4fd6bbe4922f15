//! Two threads increment one counter without synchronisation: a data race
//! TSan must report (a write-write race on COUNTER).

use std::cell::UnsafeCell;

struct Racy(UnsafeCell<u64>);
// Deliberately wrong: the point is the race.
unsafe impl Sync for Racy {}

static COUNTER: Racy = Racy(UnsafeCell::new(0));

#[inline(never)]
fn bump() {
    for _ in 0..1000 {
        // SAFETY: none; this is the race TSan has to find.
        unsafe { *COUNTER.0.get() = std::ptr::read_volatile(COUNTER.0.get()) + 1 };
    }
}

/// Runs the race; returns the (unreliable) count.
#[no_mangle]
pub extern "C" fn tsan_canary_race() -> u64 {
    let a = std::thread::spawn(bump);
    let b = std::thread::spawn(bump);
    a.join().unwrap();
    b.join().unwrap();
    unsafe { std::ptr::read_volatile(COUNTER.0.get()) }
}
