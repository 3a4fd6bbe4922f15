//! Loads the canary cdylib with dlopen (as a driver manager loads a driver)
//! and runs its race. Usage: tsan-canary PATH/libtsan_canary.so

use std::ffi::{c_char, c_int, c_void, CString};

extern "C" {
    fn dlopen(filename: *const c_char, flag: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

const RTLD_NOW: c_int = 2;

fn main() {
    let path = std::env::args().nth(1).expect("usage: tsan-canary LIBRARY");
    let path = CString::new(path).unwrap();
    let name = CString::new("tsan_canary_race").unwrap();
    // SAFETY: a plain dlopen/dlsym of a library with the expected symbol.
    let count = unsafe {
        let lib = dlopen(path.as_ptr(), RTLD_NOW);
        assert!(!lib.is_null(), "dlopen failed");
        let f = dlsym(lib, name.as_ptr());
        assert!(!f.is_null(), "dlsym failed");
        let race: extern "C" fn() -> u64 = std::mem::transmute(f);
        race()
    };
    println!("canary: counted {count}");
}
