# Ctrl-C and cooperative stop for the kernels, which run without the GIL.
#
# A kernel call is bracketed by interrupt_begin() (with the GIL) and interrupt_end() (with
# the GIL, after the nogil solve). Inside, the solver calls interrupted(updates) once per
# epoch with the number of coordinate updates done since the last call; it returns 1 when the
# solve must stop (the solver then frees its buffers and returns), and interrupt_end raises.
#
# Two sources of a stop:
# - on the main thread, a pending signal: PyErr_CheckSignals with the GIL briefly taken runs
#   the Python handler (KeyboardInterrupt for SIGINT), whose exception interrupt_end re-raises;
# - on any thread, the stop flag of the task group the thread works for (map_shared in
#   l1core/_parallel.py sets it when the main thread is interrupted): KeyboardInterrupt.
# Cost: an integer add per epoch; every POLL_UPDATES updates a read of the flag, and on the
# main thread a clock read; the GIL is taken at most once every POLL_SECONDS.
#
# The state is thread-local (one solve per thread at a time) and per module.

cdef extern from *:
    """
    #include <time.h>
    #define L1CORE_POLL_UPDATES 256
    #define L1CORE_POLL_SECONDS 0.02
    typedef struct {
        const volatile unsigned char* stop;
        int main_thread, interrupted;
        Py_ssize_t updates;
        double next_check;
    } l1core_interrupt_state;
    static _Thread_local l1core_interrupt_state l1core_interrupt;

    static double l1core_now(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
    }
    static void l1core_interrupt_begin(const unsigned char* stop, int main_thread) {
        l1core_interrupt.stop = stop;
        l1core_interrupt.main_thread = main_thread;
        l1core_interrupt.interrupted = 0;
        l1core_interrupt.updates = 0;
        l1core_interrupt.next_check = l1core_now() + L1CORE_POLL_SECONDS;
    }
    /* Without the GIL. 1 when the solve must stop. */
    static int l1core_interrupted(Py_ssize_t updates) {
        l1core_interrupt_state* s = &l1core_interrupt;
        double now;
        if (s->interrupted) return 1;
        s->updates += updates;
        if (s->updates < L1CORE_POLL_UPDATES) return 0;
        s->updates = 0;
        if (s->stop != NULL && *s->stop) return s->interrupted = 1;
        if (!s->main_thread) return 0;
        now = l1core_now();
        if (now < s->next_check) return 0;
        s->next_check = now + L1CORE_POLL_SECONDS;
        {
            PyGILState_STATE gil = PyGILState_Ensure();
            /* the handler's exception stays set for interrupt_end to raise */
            if (PyErr_CheckSignals() < 0) s->interrupted = 1;
            PyGILState_Release(gil);
        }
        return s->interrupted;
    }
    static int l1core_was_interrupted(void) { return l1core_interrupt.interrupted; }
    """
    void l1core_interrupt_begin(const unsigned char* stop, int main_thread) noexcept
    int interrupted "l1core_interrupted"(Py_ssize_t updates) noexcept nogil
    int l1core_was_interrupted() noexcept

from cpython.exc cimport PyErr_Occurred


cdef inline object interrupt_begin():
    """Arm the stop checks for this thread; returns the stop flag, to keep alive until
    interrupt_end."""
    from l1core._parallel import interrupt_context
    cdef const unsigned char[::1] view
    flag, main_thread = interrupt_context()
    if flag is None:
        l1core_interrupt_begin(NULL, main_thread)
    else:
        view = flag
        l1core_interrupt_begin(&view[0], main_thread)
    return flag


cdef inline int interrupt_end(object flag) except -1:
    """Raise what stopped the solve (the signal handler's exception, else KeyboardInterrupt);
    0 when it was not stopped."""
    if not l1core_was_interrupted():
        return 0
    if PyErr_Occurred() != NULL:
        return -1
    raise KeyboardInterrupt("l1core: stopped (another task of the same call was interrupted)")
