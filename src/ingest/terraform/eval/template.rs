//! String templates and heredocs: interpolation, `%{if}` / `%{for}` directives, strip markers.

use hcl_edit::template::{Directive, Element, ForDirective, IfDirective, Template};

use super::for_expr::iteration_pairs;
use super::ops::{operand_bool, scalar_text};
use super::{EvalError, EvalResult, Evaluator};
use crate::eval::value::Value;

/// Text rendered so far, and whether any part of it was unknown.
#[derive(Default)]
struct Rendered {
    text: String,
    unknown: bool,
    /// The indent `hcl-edit` stripped from a `<<-` heredoc's top-level lines; it leaves lines
    /// inside directives alone, so the renderer strips it there.
    heredoc_indent: Option<usize>,
}

impl Evaluator<'_> {
    /// Evaluates a template; a lone `${expr}` yields `expr`'s value unconverted, as in HCL.
    /// `heredoc_indent` is the indent of an indented heredoc.
    pub(super) fn eval_template(
        &mut self,
        template: &Template,
        heredoc_indent: Option<usize>,
    ) -> EvalResult {
        if let Some(Element::Interpolation(interpolation)) = template.as_single_element() {
            return self.eval(&interpolation.expr);
        }
        let mut out = Rendered {
            heredoc_indent,
            ..Rendered::default()
        };
        self.render(template, (false, false), false, &mut out)?;
        Ok(if out.unknown {
            Value::Unknown
        } else {
            Value::String(out.text)
        })
    }

    /// Renders `template` into `out`; `(strip_first, strip_last)` trim whitespace at its
    /// edges, as the enclosing directive's `~` markers ask; `nested` is true inside directives.
    fn render(
        &mut self,
        template: &Template,
        (strip_first, strip_last): (bool, bool),
        nested: bool,
        out: &mut Rendered,
    ) -> Result<(), EvalError> {
        let elements: Vec<&Element> = template.iter().collect();
        for (i, element) in elements.iter().enumerate() {
            match element {
                Element::Literal(literal) => {
                    let dedented = match out.heredoc_indent {
                        Some(indent) if nested => dedent(literal.value(), indent),
                        _ => literal.value().clone(),
                    };
                    let mut text = dedented.as_str();
                    let strip_start = match i.checked_sub(1).and_then(|p| elements.get(p)) {
                        Some(previous) => strips_after(previous),
                        None => strip_first,
                    };
                    let strip_end = match elements.get(i + 1) {
                        Some(next) => strips_before(next),
                        None => strip_last,
                    };
                    if strip_start {
                        text = text.trim_start();
                    }
                    if strip_end {
                        text = text.trim_end();
                    }
                    out.text.push_str(text);
                }
                Element::Interpolation(interpolation) => {
                    let value = self.eval(&interpolation.expr)?;
                    match scalar_text(&value)? {
                        Some(text) => out.text.push_str(&text),
                        None => out.unknown = true,
                    }
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(d) => self.render_if(d, out)?,
                    Directive::For(d) => self.render_for(d, out)?,
                },
            }
        }
        Ok(())
    }

    fn render_if(&mut self, d: &IfDirective, out: &mut Rendered) -> Result<(), EvalError> {
        let end_strip = d.endif_expr.strip.strip_start();
        match operand_bool(&self.eval(&d.if_expr.cond_expr)?)? {
            None => out.unknown = true,
            Some(true) => {
                let last = d
                    .else_expr
                    .as_ref()
                    .map_or(end_strip, |e| e.strip.strip_start());
                let edges = (d.if_expr.strip.strip_end(), last);
                self.render(&d.if_expr.template, edges, true, out)?;
            }
            Some(false) => {
                if let Some(e) = &d.else_expr {
                    self.render(&e.template, (e.strip.strip_end(), end_strip), true, out)?;
                }
            }
        }
        Ok(())
    }

    fn render_for(&mut self, d: &ForDirective, out: &mut Rendered) -> Result<(), EvalError> {
        let f = &d.for_expr;
        let Some(pairs) = iteration_pairs(self.eval(&f.collection_expr)?)? else {
            out.unknown = true;
            return Ok(());
        };
        let edges = (f.strip.strip_end(), d.endfor_expr.strip.strip_start());
        for (key, value) in pairs {
            let mut bindings = vec![(f.value_var.as_str().to_owned(), value)];
            if let Some(key_var) = &f.key_var {
                bindings.push((key_var.as_str().to_owned(), key));
            }
            self.with_locals(bindings, |this| this.render(&f.template, edges, true, out))?;
        }
        Ok(())
    }
}

/// Whether an element's `~` strips whitespace before it (`${~` / `%{~`).
fn strips_before(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}

/// Whether an element's `~` strips whitespace after it (`~}` of the closing tag).
fn strips_after(element: &Element) -> bool {
    match element {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}

/// Removes up to `indent` spaces or tabs after every newline.
fn dedent(text: &str, indent: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        out.push('\n');
        let skip = line
            .chars()
            .take(indent)
            .take_while(|c| *c == ' ' || *c == '\t')
            .count();
        out.push_str(line.get(skip..).unwrap_or(line));
    }
    out
}
