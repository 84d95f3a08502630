//! A small tab writer with kubectl's look (Go `tabwriter` as configured by cli-runtime:
//! padding 3, left aligned): uppercase headers, no borders, no trailing spaces. Widths are
//! computed on the plain text, so colouring a cell never breaks alignment.

use super::color::{Paint, Styler};

/// One table cell: text plus an optional colour.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Cell {
    /// The text as printed without colour.
    pub text: String,
    /// Its colour when colour is enabled.
    pub paint: Paint,
}

impl Cell {
    /// A cell with a colour.
    pub fn painted(text: impl Into<String>, paint: Paint) -> Self {
        Cell {
            text: text.into(),
            paint,
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell {
            text,
            paint: Paint::Plain,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::from(text.to_string())
    }
}

/// Column separator width, as kubectl.
pub const PADDING: usize = 3;

/// A kubectl-style table.
#[derive(Clone, Debug, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with these headers (upper-cased).
    pub fn new<I, S>(headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Table {
            headers: headers
                .into_iter()
                .map(|h| h.as_ref().to_uppercase())
                .collect(),
            rows: Vec::new(),
        }
    }

    /// A table with these headers as written (kubectl top's `CPU(cores)`).
    pub fn new_verbatim<I, S>(headers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Table {
            headers: headers
                .into_iter()
                .map(|h| h.as_ref().to_string())
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Append a row; missing cells print empty, extra cells are kept.
    pub fn row<I, C>(&mut self, cells: I) -> &mut Self
    where
        I: IntoIterator<Item = C>,
        C: Into<Cell>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    /// Number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no data rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Render without colour.
    pub fn render_plain(&self) -> String {
        self.render(&Styler::plain())
    }

    /// Render, colouring cells when `styler` is enabled. Every line ends with `\n`.
    pub fn render(&self, styler: &Styler) -> String {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.headers.len()))
            .max()
            .unwrap_or(0);
        let mut widths = vec![0usize; columns];
        for (i, h) in self.headers.iter().enumerate() {
            widths[i] = widths[i].max(h.chars().count());
        }
        for row in &self.rows {
            for (i, c) in row.iter().enumerate() {
                widths[i] = widths[i].max(c.text.chars().count());
            }
        }
        let mut out = String::new();
        let header_cells: Vec<Cell> = self
            .headers
            .iter()
            .map(|h| Cell::from(h.as_str()))
            .collect();
        for row in std::iter::once(&header_cells).chain(self.rows.iter()) {
            let last = row.len().min(columns);
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(last) {
                let painted = styler.paint(cell.paint, &cell.text);
                line.push_str(&painted);
                if i + 1 < last {
                    let pad = widths[i] - cell.text.chars().count() + PADDING;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(["name", "cluster", "ready"]);
        t.row(["qwen3-8b", "idc-beijing", "2/2"]);
        t.row(vec![
            Cell::from("qwen3-8b"),
            Cell::from("ack-hangzhou"),
            Cell::painted("1/2", Paint::Warn),
        ]);
        t
    }

    #[test]
    fn kubectl_look_uppercase_headers_three_space_padding() {
        insta::assert_snapshot!(sample().render_plain(), @r"
        NAME       CLUSTER        READY
        qwen3-8b   idc-beijing    2/2
        qwen3-8b   ack-hangzhou   1/2
        ");
    }

    #[test]
    fn colour_does_not_change_alignment() {
        let coloured = sample().render(&Styler::new(true));
        let stripped: String = strip_ansi(&coloured);
        assert_eq!(stripped, sample().render_plain());
        assert_ne!(coloured, stripped);
    }

    #[test]
    fn empty_trailing_cells_leave_no_trailing_spaces() {
        let mut t = Table::new(["a", "b"]);
        t.row(["x", ""]);
        assert_eq!(t.render_plain(), "A   B\nx\n");
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
