// Lock annotations for clang's thread safety analysis (-Wthread-safety), as
// in LevelDB and Abseil: the compiler checks that guarded state is touched
// only with its lock held and that functions needing a lock get it.
//
//   class Account {
//     void deposit(int n) EXCLUDES(mutex_) { MutexLock lock(mutex_); add_locked(n); }
//     void add_locked(int n) REQUIRES(mutex_) { balance_ += n; }
//     Mutex mutex_;
//     int balance_ GUARDED_BY(mutex_) = 0;
//   };
//
// A lock type is a CAPABILITY whose lock/unlock functions are ACQUIRE /
// RELEASE; a guard that holds it for a scope is a SCOPED_CAPABILITY.
// base/mutex.h has the annotated Mutex, SharedMutex, guards and CondVar
// (libstdc++'s std::mutex carries no annotations, so locking one directly
// is invisible to the analysis).
//
// On other compilers every macro expands to nothing. ACQUIRED_BEFORE and
// ACQUIRED_AFTER record a lock order, which clang checks under
// -Wthread-safety-beta (on, like -Wthread-safety, whenever CMake builds
// with clang; ./dev test makes both errors there).
//
// See https://clang.llvm.org/docs/ThreadSafetyAnalysis.html.
#pragma once

#if defined(__clang__) && defined(__has_attribute)
#if __has_attribute(capability)
#define ORDERD_THREAD_ANNOTATION(x) __attribute__((x))
#endif
#endif
#ifndef ORDERD_THREAD_ANNOTATION
#define ORDERD_THREAD_ANNOTATION(x)
#endif

// A type that is a lock; `name` appears in the warnings ("mutex", "spin lock").
#define CAPABILITY(name) ORDERD_THREAD_ANNOTATION(capability(name))
// An RAII type that holds a capability for its lifetime.
#define SCOPED_CAPABILITY ORDERD_THREAD_ANNOTATION(scoped_lockable)

// Data members: read or written only with the capability held (shared is
// enough for reads). PT_GUARDED_BY guards what the pointer points to.
#define GUARDED_BY(x) ORDERD_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) ORDERD_THREAD_ANNOTATION(pt_guarded_by(x))

// Lock order, on a capability member: it is taken before / after the others.
#define ACQUIRED_BEFORE(...) ORDERD_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) ORDERD_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))

// Functions: the caller holds the capabilities (exclusively / at least shared).
#define REQUIRES(...) ORDERD_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) ORDERD_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))

// Functions that take or give up a capability (none named: `this`).
#define ACQUIRE(...) ORDERD_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) ORDERD_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) ORDERD_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) ORDERD_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
// Takes the capability when it returns `result` (the first argument).
#define TRY_ACQUIRE(...) ORDERD_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define TRY_ACQUIRE_SHARED(...) ORDERD_THREAD_ANNOTATION(try_acquire_shared_capability(__VA_ARGS__))

// The caller must not hold the capabilities (the function takes them).
#define EXCLUDES(...) ORDERD_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

// Checks at run time that the capability is held; the analysis trusts it.
#define ASSERT_CAPABILITY(x) ORDERD_THREAD_ANNOTATION(assert_capability(x))
#define ASSERT_SHARED_CAPABILITY(x) ORDERD_THREAD_ANNOTATION(assert_shared_capability(x))

// The function returns a reference to the capability.
#define RETURN_CAPABILITY(x) ORDERD_THREAD_ANNOTATION(lock_returned(x))

// Turns the analysis off for one function. Say why next to each use: it is
// for locking the analysis cannot follow, never to silence a real finding.
#define NO_THREAD_SAFETY_ANALYSIS ORDERD_THREAD_ANNOTATION(no_thread_safety_analysis)
