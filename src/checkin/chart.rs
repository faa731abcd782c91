//! The mood chart: a person's last days of mood taps as a small, calm PNG.
//! No text in the image (the words beside it are translated), no streaks,
//! and a missed day is a quiet dot, never a gap that reads as "bad".

/// Days shown on the chart.
pub const DAYS: usize = 30;

const WIDTH: usize = 720;
const HEIGHT: usize = 240;
/// Left and right margin; with `COLUMN` it centres the days exactly.
const PAD_X: usize = 30;
const COLUMN: usize = (WIDTH - 2 * PAD_X) / DAYS;
/// Where bars stand and empty days sit; level 5 reaches `BASELINE - 5 * STEP`.
const BASELINE: usize = 210;
const STEP: usize = 36;
/// Half a bar's width: bars are pills, their round ends look soft.
const BAR_RADIUS: f32 = 6.0;
const DOT_RADIUS: f32 = 2.5;

type Rgb = [u8; 3];

/// An opaque soft dark slate card rather than transparency: Discord shows the
/// image on both dark and light themes, and a card of its own keeps the same
/// calm contrast on either, where mid-tones on transparency go muddy on one.
const BACKGROUND: Rgb = [40, 44, 54];
const GUIDE: Rgb = [56, 61, 74];
/// What shapes are drawn on, by palette index: the bare card, a guide line.
const GROUNDS: [Rgb; 2] = [BACKGROUND, GUIDE];
const GUIDE_INDEX: u8 = 1;
/// What shapes are drawn in: a quiet grey for a day without a tap, then
/// moods 1 (heaviest) to 5 (lightest), so a mood is its own ink. Muted indigo
/// through teal and sage to soft gold: cool to warm, all low-saturation,
/// nothing that reads as alarm.
const INKS: [Rgb; 6] = [
    [104, 110, 126],
    [112, 120, 196],
    [102, 148, 200],
    [96, 178, 172],
    [142, 192, 136],
    [222, 196, 120],
];
/// Antialiasing steps per ink and ground: soft edges at this size.
const STEPS: usize = 8;
const _: () = assert!(GROUNDS.len() * (1 + INKS.len() * STEPS) <= 256);

/// `days[0]` is the oldest day, `days[DAYS - 1]` today; each is that day's
/// mood 1 (heaviest) ..= 5 (lightest), or None when there was no tap.
/// Returns PNG bytes. Moods outside 1..=5 are clamped.
pub fn mood_chart(days: &[Option<u8>; DAYS]) -> Vec<u8> {
    let mut canvas = Canvas::new();
    for level in 1..=5 {
        let row = level_y(level) * WIDTH;
        canvas.pixels[row + PAD_X..row + WIDTH - PAD_X].fill(GUIDE_INDEX);
    }
    let base = BASELINE as f32;
    for (day, mood) in days.iter().enumerate() {
        let x = day_x(day) as f32;
        match *mood {
            Some(mood) => {
                let level = usize::from(mood.clamp(1, 5));
                let top = level_y(level) as f32;
                canvas.fill_pill(x, top + BAR_RADIUS, base - BAR_RADIUS, BAR_RADIUS, level);
            }
            None => canvas.fill_pill(x, base - DOT_RADIUS, base - DOT_RADIUS, DOT_RADIUS, 0),
        }
    }
    canvas.encode()
}

/// The centre of a day's column, on a pixel boundary so even-width bars
/// have crisp sides.
fn day_x(day: usize) -> usize {
    PAD_X + day * COLUMN + COLUMN / 2
}

fn level_y(level: usize) -> usize {
    BASELINE - level * STEP
}

/// One palette index per pixel, row by row. Indexed rather than RGB: a
/// third of the bytes, so the PNG is a few KB and encodes in microseconds.
struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    fn new() -> Self {
        Canvas {
            pixels: vec![0; WIDTH * HEIGHT],
        }
    }

    /// A vertical capsule in `ink`: every point within `r` of the segment
    /// from (`x`, `y0`) to (`x`, `y1`), edges antialiased. With `y0 == y1`,
    /// a disc.
    fn fill_pill(&mut self, x: f32, y0: f32, y1: f32, r: f32, ink: usize) {
        let (left, right) = ((x - r).floor() as usize, (x + r).ceil() as usize);
        let (top, bottom) = ((y0 - r).floor() as usize, (y1 + r).ceil() as usize);
        for row in top..bottom.min(HEIGHT) {
            for col in left..right.min(WIDTH) {
                let (px, py) = (col as f32 + 0.5, row as f32 + 0.5);
                let (dx, dy) = (px - x, py - py.clamp(y0, y1));
                let distance = (dx * dx + dy * dy).sqrt();
                let coverage = (r + 0.5 - distance).clamp(0.0, 1.0);
                let step = (coverage * STEPS as f32 + 0.5) as usize;
                if step > 0 {
                    let at = row * WIDTH + col;
                    // Shapes never overlap: beneath is always card or guide.
                    let ground = usize::from(self.pixels[at] == GUIDE_INDEX);
                    let mixed = (ink * GROUNDS.len() + ground) * STEPS + step - 1;
                    self.pixels[at] = (GROUNDS.len() + mixed) as u8;
                }
            }
        }
    }

    fn encode(self) -> Vec<u8> {
        let mut png = Vec::new();
        let mut encoder = png::Encoder::new(&mut png, WIDTH as u32, HEIGHT as u32);
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_palette(palette());
        encoder.set_compression(png::Compression::Fast);
        encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&self.pixels))
            .expect("a Vec never fails to write, and the pixels match the header");
        png
    }
}

/// The grounds, then every ink over every ground at every antialiasing step,
/// in the order `Canvas::fill_pill` indexes them.
fn palette() -> Vec<u8> {
    let mut palette = GROUNDS.concat();
    for ink in INKS {
        for ground in GROUNDS {
            for step in 1..=STEPS {
                let t = step as f32 / STEPS as f32;
                palette.extend(ground.iter().zip(ink).map(|(&from, to)| {
                    (f32::from(from) + (f32::from(to) - f32::from(from)) * t).round() as u8
                }));
            }
        }
    }
    palette
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The image's own header, and its pixels expanded to RGB.
    fn decode(png: &[u8]) -> (png::Info<'static>, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let output = reader.next_frame(&mut pixels).unwrap();
        assert_eq!(output.color_type, png::ColorType::Rgb);
        (reader.info().clone(), pixels)
    }

    fn pixel(pixels: &[u8], x: usize, y: usize) -> Rgb {
        let at = (y * WIDTH + x) * 3;
        [pixels[at], pixels[at + 1], pixels[at + 2]]
    }

    fn last_day(mood: u8) -> [Option<u8>; DAYS] {
        let mut days = [None; DAYS];
        days[DAYS - 1] = Some(mood);
        days
    }

    #[test]
    fn is_an_indexed_png_of_the_chart_size() {
        let (info, _) = decode(&mood_chart(&[Some(3); DAYS]));
        assert_eq!((info.width, info.height), (WIDTH as u32, HEIGHT as u32));
        assert_eq!(info.color_type, png::ColorType::Indexed);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
    }

    #[test]
    fn no_taps_draw_only_quiet_dots_on_the_baseline() {
        let (_, pixels) = decode(&mood_chart(&[None; DAYS]));
        for day in 0..DAYS {
            assert_eq!(pixel(&pixels, day_x(day), BASELINE - 2), INKS[0]);
        }
        for y in 0..BASELINE - 2 * DOT_RADIUS as usize - 1 {
            for x in 0..WIDTH {
                let found = pixel(&pixels, x, y);
                assert!(found == BACKGROUND || found == GUIDE, "{x},{y}: {found:?}");
            }
        }
    }

    #[test]
    fn a_light_day_reaches_high_and_a_heavy_one_does_not() {
        let x = day_x(DAYS - 1);
        let high = level_y(5) + STEP / 2;
        let (_, light) = decode(&mood_chart(&last_day(5)));
        assert_eq!(pixel(&light, x, high), INKS[5]);
        let (_, heavy) = decode(&mood_chart(&last_day(1)));
        assert_eq!(pixel(&heavy, x, high), BACKGROUND);
        assert_eq!(pixel(&heavy, x, BASELINE - STEP / 2), INKS[1]);
    }

    #[test]
    fn out_of_range_moods_are_clamped() {
        assert_eq!(mood_chart(&last_day(0)), mood_chart(&last_day(1)));
        assert_eq!(mood_chart(&last_day(9)), mood_chart(&last_day(5)));
    }

    #[test]
    fn stays_small() {
        let days = std::array::from_fn(|day| Some((day % 5) as u8 + 1));
        assert!(mood_chart(&days).len() < 20_000);
    }
}
