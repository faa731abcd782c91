//! A count in words: `one` for exactly one, `other` for any other number.
//! The two forms English needs, named as Unicode's plural rules name them.

use super::Text;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plural {
    pub one: Text,
    pub other: Text,
}

impl Plural {
    /// The form for `n`, with `{n}` filled in.
    pub fn render(&self, n: u32) -> String {
        let form = if n == 1 { &self.one } else { &self.other };
        form.render(&[("n", &n.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        let rounds = Plural {
            one: Text::from("{n} round".to_owned()),
            other: Text::from("{n} rounds".to_owned()),
        };
        assert_eq!(rounds.render(1), "1 round");
        assert_eq!(rounds.render(0), "0 rounds");
        assert_eq!(rounds.render(4), "4 rounds");
    }
}
