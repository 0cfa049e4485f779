/**
 * One `sendmsg(2)` on the connected unix socket `socketFd`: `data`, with `fds` as SCM_RIGHTS
 * ancillary data. Returns how many bytes of `data` were sent (the socket is non-blocking, so
 * possibly fewer; the descriptors went with the first of them). When sendmsg fails nothing is
 * sent and it throws an Error with `code` (`EAGAIN` when the socket is full, `EBADF` for a
 * descriptor that is not open, …), `errno` (negative, as Node's) and `syscall: 'sendmsg'`.
 */
export function sendWithFds(socketFd: number, data: Uint8Array, fds: readonly number[]): number;
