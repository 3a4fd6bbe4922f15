/*
 * ProcessPrng for Wine 8, which lacks bcryptprimitives.dll (Wine 9 has it).
 * Rust's standard library on Windows takes its random numbers (HashMap
 * seeds) from ProcessPrng, so every Rust program imports this DLL; real
 * Windows 10 and later ship it. Test environment only: tests/windows/run.sh
 * builds this into the Wine prefix, nothing installs it on Windows.
 */
#include <windows.h>

/* RtlGenRandom, exported by advapi32 under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
