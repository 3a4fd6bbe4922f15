//! Closing one client connection from inside a request handler.
//!
//! tiny_http owns the sockets and keeps connections alive; it offers no way
//! to drop one. But the connection's socket is one of this process's file
//! descriptors, and the handler knows both of its addresses (the client's,
//! and our listening port). Finding that descriptor and shutting the socket
//! down sends the client a FIN after whatever was already written, and ends
//! tiny_http's reader of the connection. Linux only (`/proc/self/fd`);
//! elsewhere this fails and the caller falls back to a plain error answer.

use std::io;
use std::net::SocketAddr;

/// The socket of one client connection, found but still open.
pub(crate) struct ClientSocket {
    #[cfg(target_os = "linux")]
    fd: std::os::fd::RawFd,
}

/// Finds the socket connected from `peer` to our `local_port`.
#[cfg(target_os = "linux")]
pub(crate) fn find_connection(local_port: u16, peer: SocketAddr) -> io::Result<ClientSocket> {
    use std::os::fd::RawFd;
    for entry in std::fs::read_dir("/proc/self/fd")? {
        let Ok(entry) = entry else { continue };
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<RawFd>().ok())
        else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|target| target.to_string_lossy().starts_with("socket:"));
        if !is_socket {
            continue;
        }
        let (local, remote) = with_socket(fd, |s| (s.local_addr(), s.peer_addr()));
        let (Ok(local), Ok(remote)) = (local, remote) else {
            continue;
        };
        let ours = local.as_socket().map(|a| a.port()) == Some(local_port);
        if ours && remote.as_socket() == Some(peer) {
            return Ok(ClientSocket { fd });
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!("no connection from {peer}"),
    ))
}

/// Runs `f` on the socket behind descriptor `fd`.
#[cfg(target_os = "linux")]
fn with_socket<T>(fd: std::os::fd::RawFd, f: impl FnOnce(socket2::SockRef) -> T) -> T {
    // SAFETY: `fd` was open when listed in /proc/self/fd. If another
    // thread closes it meanwhile, the socket calls fail with EBADF; if the
    // number is reused, `find_connection` checks both addresses before it
    // trusts the socket. The socket of the request being answered cannot
    // close under us: the request holds it open until it is answered.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
    f(socket2::SockRef::from(&fd))
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn find_connection(_local_port: u16, peer: SocketAddr) -> io::Result<ClientSocket> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        format!("cannot find the connection from {peer} on this platform"),
    ))
}

impl ClientSocket {
    /// Shuts the socket down: the client gets a FIN after whatever was
    /// already written. Call it while the request is still held, so the
    /// descriptor is still this connection's.
    pub(crate) fn shut_down(&self) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        return with_socket(self.fd, |s| s.shutdown(std::net::Shutdown::Both));
        #[cfg(not(target_os = "linux"))]
        Ok(())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::{TcpListener, TcpStream};

    #[test]
    fn closes_exactly_the_accepted_socket() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut client = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut other = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let _served = listener.accept().unwrap();
        let _served_other = listener.accept().unwrap();
        find_connection(port, client.local_addr().unwrap())
            .unwrap()
            .shut_down()
            .unwrap();
        let mut buf = [0u8; 1];
        // EOF for the closed connection; the other one is still open.
        assert_eq!(client.read(&mut buf).unwrap(), 0);
        other.set_nonblocking(true).unwrap();
        assert_eq!(
            other.read(&mut buf).unwrap_err().kind(),
            io::ErrorKind::WouldBlock
        );
    }
}
