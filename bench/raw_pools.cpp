#include "raw_pools.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#ifdef CONLAB_HAVE_TBB
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#endif

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Keeps the empty body from being optimised away.
std::atomic<int64_t> g_sink{0};
void emptyTask(int64_t i) {
    if (i < 0) g_sink.fetch_add(1, std::memory_order_relaxed);
}

class CondvarPool {
  public:
    explicit CondvarPool(int workers) {
        for (int i = 0; i < workers; ++i)
            m_threads.emplace_back([this] { work(); });
    }
    ~CondvarPool() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        for (auto& t : m_threads)
            t.join();
    }
    void submit(int64_t task) {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(task);
            ++m_pending;
        }
        m_cv.notify_one();
    }
    void waitAll() {
        std::unique_lock lock(m_mutex);
        m_doneCv.wait(lock, [this] { return m_pending == 0; });
    }

  private:
    void work() {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_cv.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_queue.empty()) return; // stopping
            const int64_t task = m_queue.front();
            m_queue.pop_front();
            lock.unlock();
            emptyTask(task);
            lock.lock();
            if (--m_pending == 0) m_doneCv.notify_all();
        }
    }
    std::mutex m_mutex;
    std::condition_variable m_cv, m_doneCv;
    std::deque<int64_t> m_queue;
    int64_t m_pending = 0;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

} // namespace

double condvarPoolPerTaskS(int workers, int64_t tasks) {
    CondvarPool pool(workers);
    const auto t0 = Clock::now();
    for (int64_t i = 0; i < tasks; ++i)
        pool.submit(i);
    pool.waitAll();
    return secondsSince(t0) / double(tasks);
}

double tbbParallelForPerTaskS(int workers, int64_t tasks) {
#ifdef CONLAB_HAVE_TBB
    // Attached first so that finalize() waits for TBB's threads to exit: the tbb backend
    // measured after this in the same process starts from no TBB threads, as on its own.
    oneapi::tbb::task_scheduler_handle handle{oneapi::tbb::attach{}};
    double perTask = 0;
    {
        oneapi::tbb::task_arena arena(workers);
        arena.initialize();
        // The arena's threads exist before the clock starts.
        arena.execute([] { oneapi::tbb::parallel_for(0, 64, [](int i) { emptyTask(i); }); });
        const auto t0 = Clock::now();
        arena.execute([&] {
            oneapi::tbb::parallel_for(
                oneapi::tbb::blocked_range<int64_t>(0, tasks, 1),
                [](const oneapi::tbb::blocked_range<int64_t>& r) {
                    for (int64_t i = r.begin(); i != r.end(); ++i)
                        emptyTask(i);
                },
                oneapi::tbb::simple_partitioner());
        });
        perTask = secondsSince(t0) / double(tasks);
    }
    oneapi::tbb::finalize(handle, std::nothrow);
    return perTask;
#else
    (void)workers;
    (void)tasks;
    return 0;
#endif
}

} // namespace bench
