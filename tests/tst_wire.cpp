#include "wire_protocol.h"

#include <QTest>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

using namespace conlab;
using namespace conlab::wire;

class TestWire : public QObject {
    Q_OBJECT
  private slots:
    void roundTripThroughPipe_data() {
        QTest::addColumn<int>("size");
        QTest::addRow("empty") << 0;
        QTest::addRow("small") << 8;
        QTest::addRow("just over the small-frame path") << 1000;
        QTest::addRow("larger than the pipe") << 300000;
    }
    void roundTripThroughPipe() {
        QFETCH(int, size);
        int fds[2];
        QCOMPARE(pipe(fds), 0);
        std::vector<std::byte> payload(static_cast<size_t>(size));
        for (size_t i = 0; i < payload.size(); ++i)
            payload[i] = std::byte(i * 7);
        FrameHeader h;
        h.type = uint32_t(FrameType::Task);
        h.taskId = 42;
        h.count = 3;
        h.length = payload.size();
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            _exit(writeFrame(fds[1], h, payload) ? 0 : 1);
        }
        close(fds[1]);
        FrameReader reader;
        FrameHeader got;
        std::vector<std::byte> gotPayload;
        QVERIFY(readFrame(fds[0], reader, got, gotPayload));
        close(fds[0]);
        int status;
        waitpid(pid, &status, 0);
        QCOMPARE(got.taskId, int64_t(42));
        QCOMPARE(got.count, 3u);
        QVERIFY(gotPayload == payload);
    }

    void partialFramesWait() {
        FrameHeader h;
        h.type = uint32_t(FrameType::Reply);
        h.length = 4;
        std::vector<std::byte> bytes(sizeof h + 4);
        std::memcpy(bytes.data(), &h, sizeof h);
        FrameReader r;
        FrameHeader out;
        std::vector<std::byte> payload;
        for (size_t i = 0; i < bytes.size(); ++i) {
            QCOMPARE(r.next(out, payload), FrameReader::Status::NeedMore);
            r.feed(std::span(bytes.data() + i, 1));
        }
        QCOMPARE(r.next(out, payload), FrameReader::Status::Frame);
        QCOMPARE(r.buffered(), size_t(0));
    }

    void garbageIsAnError_data() {
        QTest::addColumn<int>("variant");
        QTest::addRow("bad magic") << 0;
        QTest::addRow("unknown type") << 1;
        QTest::addRow("absurd length") << 2;
    }
    void garbageIsAnError() {
        QFETCH(int, variant);
        FrameHeader h;
        h.type = uint32_t(FrameType::Result);
        if (variant == 0) h.magic = 0xdeadbeef;
        if (variant == 1) h.type = 99;
        if (variant == 2) h.length = ~uint64_t(0);
        FrameReader r;
        r.feed(asBytes(h));
        FrameHeader out;
        std::vector<std::byte> payload;
        QCOMPARE(r.next(out, payload), FrameReader::Status::Error);
        QVERIFY(!r.error().empty());
    }
};

QTEST_GUILESS_MAIN(TestWire)
#include "tst_wire.moc"
