//! The progress spinner a long scan shows on a terminal: on stderr only, only when stderr
//! is a terminal and `--quiet` is off, and only once the scan has run for [`DELAY`] — a
//! quick scan, a CI log and every machine format on stdout never see it.

use std::io::IsTerminal as _;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Scans shorter than this show no progress.
pub const DELAY: Duration = Duration::from_secs(1);

/// How often the spinner turns.
const TICK: Duration = Duration::from_millis(100);

/// Whether progress may be shown: stderr is a terminal and the user did not ask for quiet.
pub fn wanted(stderr_is_terminal: bool, quiet: bool) -> bool {
    stderr_is_terminal && !quiet
}

/// A spinner with a message and the elapsed time that appears after a delay and is erased
/// when dropped.
pub struct Progress {
    bar: ProgressBar,
    stop: Option<mpsc::Sender<()>>,
    waiter: Option<JoinHandle<()>>,
}

impl Progress {
    /// Progress for this run on stderr: shown after [`DELAY`] when [`wanted`], else never.
    pub fn on_stderr(message: &str, quiet: bool) -> Progress {
        if wanted(std::io::stderr().is_terminal(), quiet) {
            Progress::after(DELAY, message, ProgressDrawTarget::stderr())
        } else {
            Progress::after(DELAY, message, ProgressDrawTarget::hidden())
        }
    }

    /// A spinner drawn on `target` once `delay` has passed, unless dropped before.
    pub fn after(delay: Duration, message: &str, target: ProgressDrawTarget) -> Progress {
        let bar = ProgressBar::hidden();
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(message.to_owned());
        if target.is_hidden() {
            return Progress {
                bar,
                stop: None,
                waiter: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let waiter = std::thread::spawn(move || {
            if stopped.recv_timeout(delay) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(target);
                shown.enable_steady_tick(TICK);
            }
        });
        Progress {
            bar,
            stop: Some(stop),
            waiter: Some(waiter),
        }
    }

    /// Says what the scan is doing now.
    pub fn set_message(&self, message: &str) {
        self.bar.set_message(message.to_owned());
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(waiter) = self.waiter.take() {
            let _ = waiter.join();
        }
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::{Arc, Mutex};

    /// A terminal that records what is written to it.
    #[derive(Clone, Debug, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.0.lock().map_err(|_| io::ErrorKind::Other)?.push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn drawn(screen: &Screen) -> String {
        screen.0.lock().expect("screen").clone()
    }

    #[test]
    fn only_a_terminal_without_quiet_gets_progress() {
        assert!(wanted(true, false));
        assert!(!wanted(true, true));
        assert!(!wanted(false, false));
    }

    #[test]
    fn a_scan_shorter_than_the_delay_draws_nothing() {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        drop(Progress::after(Duration::from_secs(5), "scanning", target));
        assert_eq!(drawn(&screen), "");
    }

    #[test]
    fn a_longer_scan_shows_the_spinner_after_the_delay() {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        let progress = Progress::after(Duration::from_millis(20), "scanning", target);
        std::thread::sleep(Duration::from_millis(400));
        progress.set_message("checking rules");
        std::thread::sleep(Duration::from_millis(300));
        drop(progress);
        let shown = drawn(&screen);
        assert!(shown.contains("scanning"), "{shown:?}");
        assert!(shown.contains("checking rules"), "{shown:?}");
    }
}
