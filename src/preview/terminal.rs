//! Where a preview's frames go. On a terminal each frame is drawn over the
//! last; anywhere else (a pipe, a file) they follow one another plainly, as
//! cursor codes there would only be noise.

use crate::pace::plan::Frame;
use crate::pace::runner::{Screen, ShowError};
use std::io::{self, IsTerminal, Write};
use unicode_width::UnicodeWidthStr;

/// The width assumed when neither the terminal nor `COLUMNS` tells.
const FALLBACK_COLUMNS: usize = 80;

/// Draws frames, in place on a terminal. Each redraw moves up over the rows
/// the last frame covered and clears to the end of the screen. The rows are
/// counted at the terminal's width, wrapped lines included. (Saving the
/// cursor with `ESC 7` and returning to it would need no counting, but the
/// saved place is a screen position: once a frame scrolls the screen, the
/// cursor returns to the wrong row.)
pub(super) struct Terminal<W: Write> {
    out: W,
    way: Way,
}

enum Way {
    /// Over the last frame, its `rows` counted at the width `columns` gives
    /// (asked at each frame: the window may have been resized).
    InPlace { columns: fn() -> usize, rows: usize },
    /// One frame after another, a blank line between them.
    Plainly { drawn: bool },
}

impl Terminal<io::Stdout> {
    /// stdout, drawn in place when it is a terminal.
    pub(super) fn stdout() -> Self {
        let out = io::stdout();
        let in_place = out.is_terminal();
        Self::new(out, in_place.then_some(columns))
    }
}

impl<W: Write> Terminal<W> {
    /// Frames drawn in place at the width `columns` gives, or plainly
    /// without it.
    fn new(mut out: W, columns: Option<fn() -> usize>) -> Self {
        let way = match columns {
            Some(columns) => {
                // The cursor would blink over the words; shown again on drop.
                let _ = write!(out, "\x1b[?25l");
                Way::InPlace { columns, rows: 0 }
            }
            None => Way::Plainly { drawn: false },
        };
        Self { out, way }
    }

    /// Draw `text`, its Markdown dropped. An error says nobody reads any
    /// more (`steady preview breathe | head`).
    pub(super) fn draw(&mut self, text: &str) -> io::Result<()> {
        let plain = text.replace("## ", "").replace("**", "").replace('`', "");
        match &mut self.way {
            Way::InPlace { columns, rows } => {
                if *rows > 0 {
                    write!(self.out, "\x1b[{rows}F\x1b[J")?;
                }
                *rows = covered(&plain, columns());
            }
            Way::Plainly { drawn } => {
                if *drawn {
                    writeln!(self.out)?;
                }
                *drawn = true;
            }
        }
        writeln!(self.out, "{plain}")?;
        self.out.flush()
    }
}

impl<W: Write> Drop for Terminal<W> {
    fn drop(&mut self) {
        if let Way::InPlace { .. } = self.way {
            let _ = write!(self.out, "\x1b[?25h");
            let _ = self.out.flush();
        }
    }
}

impl<W: Write + Send> Screen for Terminal<W> {
    async fn show(&mut self, frame: &Frame) -> Result<(), ShowError> {
        self.draw(&frame.text).map_err(|_| ShowError::Gone)
    }
}

/// The width of the terminal on stdout, else `COLUMNS`, else 80.
fn columns() -> usize {
    terminal_size::terminal_size_of(io::stdout())
        .map(|(width, _)| usize::from(width.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .filter(|columns| *columns > 0)
        .unwrap_or(FALLBACK_COLUMNS)
}

/// How many rows `text` covers in a terminal `columns` wide: each line
/// takes at least one, and one more each time it fills the width.
fn covered(text: &str, columns: usize) -> usize {
    text.lines()
        .map(|line| line.width().div_ceil(columns).max(1))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `texts` drawn one after another on `columns` leave on the
    /// screen's stream, the cursor shown again included.
    fn drawn(texts: &[&str], columns: Option<fn() -> usize>) -> String {
        let mut out = Vec::new();
        let mut terminal = Terminal::new(&mut out, columns);
        for text in texts {
            terminal.draw(text).unwrap();
        }
        drop(terminal);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rows_count_wrapped_lines_by_display_width() {
        assert_eq!(covered("abc\n\ndef", 80), 3);
        assert_eq!(covered(&"x".repeat(40), 40), 1);
        assert_eq!(covered(&"x".repeat(41), 40), 2);
        assert_eq!(covered(&"▰".repeat(10), 4), 3);
        // Wide characters take two columns each.
        assert_eq!(covered("呼吸呼吸呼吸", 6), 2);
    }

    #[test]
    fn a_terminal_redraws_over_the_rows_the_last_frame_covered() {
        let wide = "▰".repeat(25);
        let first = format!("## Breathe in\n{wide}\n**1** of 2");
        let output = drawn(&[&first, "Hold", "`Out`"], Some(|| 20));
        assert_eq!(
            output,
            format!(
                "\x1b[?25lBreathe in\n{wide}\n1 of 2\n\x1b[4F\x1b[JHold\n\x1b[1F\x1b[JOut\n\x1b[?25h"
            )
        );
    }

    #[test]
    fn elsewhere_frames_follow_one_another_plainly() {
        let output = drawn(&["## Breathe in\n**1** of 2", "Hold", "Out"], None);
        assert_eq!(output, "Breathe in\n1 of 2\n\nHold\n\nOut\n");
    }
}
