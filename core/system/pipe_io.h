#pragma once
// read(2) and write(2) on the message path, as bare system calls. glibc's read and write are
// pthread cancellation points: in a process that has ever had a second thread (conlab always
// has, and so has every worker it forks, glibc keeps the flag across fork) each call also
// switches the cancellation type with atomic operations, ~60 ns per call on a 2-vCPU VM, ~7%
// of a pipe round trip. Conlab never cancels a thread, so it skips that wrapper. Sanitizer
// builds keep the libc calls, whose interceptors check the buffers and see the fds.
#include <cstddef>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CONLAB_LIBC_PIPE_IO 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define CONLAB_LIBC_PIPE_IO 1
#endif
#endif

namespace conlab {

inline ssize_t pipeRead(int fd, void* buf, size_t n) {
#ifdef CONLAB_LIBC_PIPE_IO
    return ::read(fd, buf, n);
#else
    return ssize_t(::syscall(SYS_read, fd, buf, n));
#endif
}

inline ssize_t pipeWrite(int fd, const void* buf, size_t n) {
#ifdef CONLAB_LIBC_PIPE_IO
    return ::write(fd, buf, n);
#else
    return ssize_t(::syscall(SYS_write, fd, buf, n));
#endif
}

} // namespace conlab
