#include "wire_protocol.h"

#include "system/pipe_io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/uio.h>
#include <unistd.h>

namespace conlab::wire {

long FrameReader::readOnce(int fd, bool retryInterrupted) {
    if (m_buf.size() - m_end < 4096) compact(m_buf.size() - m_end + 4096 + (m_end - m_begin));
    for (;;) {
        ssize_t n = pipeRead(fd, m_buf.data() + m_end, m_buf.size() - m_end);
        if (n < 0 && errno == EINTR && retryInterrupted) continue;
        if (n > 0) m_end += size_t(n);
        return long(n);
    }
}

void FrameReader::feed(std::span<const std::byte> bytes) {
    compact(bytes.size());
    if (!bytes.empty()) // memcpy with a null source is undefined even for 0 bytes
        std::memcpy(m_buf.data() + m_end, bytes.data(), bytes.size());
    m_end += bytes.size();
}

void FrameReader::compact(size_t need) {
    size_t used = m_end - m_begin;
    if (m_begin > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_begin, used);
        m_begin = 0;
        m_end = used;
    }
    if (m_buf.size() - m_end < need) m_buf.resize(m_end + need);
}

std::optional<std::string> validateHeader(const FrameHeader& h) {
    if (h.magic != kMagic) return "bad frame magic";
    if (h.type < uint32_t(FrameType::Hello) || h.type > uint32_t(FrameType::Config))
        return "unknown frame type " + std::to_string(h.type);
    if (h.length > kMaxPayload) return "frame length " + std::to_string(h.length) + " exceeds limit";
    return std::nullopt;
}

FrameReader::Status FrameReader::next(FrameHeader& header, std::vector<std::byte>& payload) {
    size_t avail = m_end - m_begin;
    if (avail < sizeof(FrameHeader)) return Status::NeedMore;
    std::memcpy(&header, m_buf.data() + m_begin, sizeof header);
    if (auto err = validateHeader(header)) {
        m_error = *err;
        return Status::Error;
    }
    if (avail - sizeof header < header.length) {
        // Make room so the whole frame fits: later reads go straight into the buffer. The
        // length is the peer's claim, so room is reserved up to a cap; readOnce grows the
        // buffer geometrically beyond it as bytes actually arrive.
        constexpr uint64_t kReserveCap = uint64_t(1) << 20;
        if (m_buf.size() - m_begin < sizeof header + header.length)
            compact(size_t(std::min<uint64_t>(sizeof header + header.length - avail, kReserveCap)));
        return Status::NeedMore;
    }
    const std::byte* p = m_buf.data() + m_begin + sizeof header;
    payload.assign(p, p + header.length);
    m_begin += sizeof header + header.length;
    if (m_begin == m_end) m_begin = m_end = 0;
    return Status::Frame;
}

bool writeFrame(int fd, const FrameHeader& header, std::span<const std::span<const std::byte>> parts) {
    // Small frames go out as one contiguous write: cheaper than gathering iovecs in the kernel.
    size_t total = sizeof header;
    for (auto part : parts)
        total += part.size();
    if (total <= 1024) {
        std::byte buf[1024];
        std::memcpy(buf, &header, sizeof header);
        size_t at = sizeof header;
        for (auto part : parts) {
            if (!part.empty()) std::memcpy(buf + at, part.data(), part.size());
            at += part.size();
        }
        size_t done = 0;
        while (done < total) {
            ssize_t w = pipeWrite(fd, buf + done, total - done);
            if (w < 0) {
                if (errno == EINTR) continue;
                return false;
            }
            done += size_t(w);
        }
        return true;
    }
    constexpr int kMaxIov = 8;
    iovec iov[kMaxIov];
    int n = 0;
    iov[n++] = {const_cast<FrameHeader*>(&header), sizeof header};
    for (auto part : parts) {
        if (part.empty()) continue;
        if (n == kMaxIov) {
            errno = E2BIG;
            return false;
        }
        iov[n++] = {const_cast<std::byte*>(part.data()), part.size()};
    }
    int first = 0;
    while (first < n) {
        ssize_t w = ::writev(fd, iov + first, n - first);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        size_t left = size_t(w);
        while (first < n && left >= iov[first].iov_len) {
            left -= iov[first].iov_len;
            ++first;
        }
        if (first < n) {
            iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
            iov[first].iov_len -= left;
        }
    }
    return true;
}

bool FrameReader::hasFrame() const {
    const size_t avail = m_end - m_begin;
    if (avail < sizeof(FrameHeader)) return false;
    FrameHeader h;
    std::memcpy(&h, m_buf.data() + m_begin, sizeof h);
    return avail - sizeof h >= h.length; // a bad header is a frame too: next() reports it
}

void appendFrame(std::vector<std::byte>& batch, const FrameHeader& header,
                 std::span<const std::span<const std::byte>> parts) {
    const auto* h = reinterpret_cast<const std::byte*>(&header);
    batch.insert(batch.end(), h, h + sizeof header);
    for (auto part : parts)
        batch.insert(batch.end(), part.begin(), part.end());
}

bool writeBatch(int fd, std::vector<std::byte>& batch) {
    size_t done = 0;
    while (done < batch.size()) {
        ssize_t w = pipeWrite(fd, batch.data() + done, batch.size() - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += size_t(w);
    }
    batch.clear();
    return true;
}

bool writeFrame(int fd, const FrameHeader& header, std::span<const std::byte> payload) {
    std::span<const std::byte> parts[1] = {payload};
    return writeFrame(fd, header, parts);
}

bool readFrame(int fd, FrameReader& reader, FrameHeader& header, std::vector<std::byte>& payload) {
    for (;;) {
        switch (reader.next(header, payload)) {
        case FrameReader::Status::Frame:
            return true;
        case FrameReader::Status::Error:
            return false;
        case FrameReader::Status::NeedMore:
            break;
        }
        if (reader.readOnce(fd) <= 0) return false;
    }
}

} // namespace conlab::wire
