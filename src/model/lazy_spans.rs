//! Spans a resource does not keep but recomputes when asked: a live export's row records
//! the span of every value only when a finding needs one, by reading its row again.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::Arc;

use super::source::Span;

/// Body pointer → span, computed again from the source each time it is asked for.
pub trait SpanSource: Send + Sync + Debug {
    /// Every body pointer the source wrote, with its span.
    fn spans(&self) -> BTreeMap<String, Span>;
}

/// One source of spans, seen through a change of pointer prefix: the resource's pointer
/// `add` + `rest` is the source's `strip` + `rest` (and `rest` is never empty when
/// `strip` is not: an inline child's own item is not inside itself).
#[derive(Clone, Debug)]
struct Layer {
    source: Arc<dyn SpanSource>,
    strip: String,
    add: String,
}

impl PartialEq for Layer {
    fn eq(&self, other: &Layer) -> bool {
        Arc::ptr_eq(&self.source, &other.source)
            && self.strip == other.strip
            && self.add == other.add
    }
}

/// Sources of spans a resource consults after its own map, first listed first. They are
/// computed when one is asked for (a resource with a finding) and not kept with the
/// resource: a tenant's findings would otherwise hold a span map each. Each thread keeps
/// the last map it computed, which serves the findings of one resource (checked one
/// after another) and every ancestor pointer asked for on the way.
#[derive(Clone, Debug, Default)]
pub struct LazySpans {
    layers: Vec<Layer>,
}

/// The layers of the last map this thread computed (holding their sources, so no other
/// source can take their place at the same address) and the map.
type Recent = Option<(Vec<Layer>, Arc<BTreeMap<String, Span>>)>;

thread_local! {
    static RECENT: RefCell<Recent> = const { RefCell::new(None) };
}

impl LazySpans {
    /// Spans computed from `source` when asked for.
    pub fn new(source: Arc<dyn SpanSource>) -> LazySpans {
        LazySpans {
            layers: vec![Layer {
                source,
                strip: String::new(),
                add: String::new(),
            }],
        }
    }

    /// Whether there is nothing to compute.
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// The span recorded at exactly `pointer`, first layer first.
    pub fn get(&self, pointer: &str) -> Option<Span> {
        self.map().get(pointer).copied()
    }

    /// The computed map: this thread's last one when it is for the same layers.
    fn map(&self) -> Arc<BTreeMap<String, Span>> {
        RECENT.with(|recent| {
            if let Some((layers, map)) = &*recent.borrow() {
                if *layers == self.layers {
                    return Arc::clone(map);
                }
            }
            let map = Arc::new(compute(&self.layers));
            *recent.borrow_mut() = Some((self.layers.clone(), Arc::clone(&map)));
            map
        })
    }

    /// Every pointer with a span, first layer first (a pointer once).
    pub fn into_map(self) -> BTreeMap<String, Span> {
        compute(&self.layers)
    }

    /// The spans strictly under `prefix`, re-keyed relative to it (an inline child's).
    pub fn under(&self, prefix: &str) -> LazySpans {
        let layers = self.layers.iter().filter_map(|layer| {
            if let Some(rest) = prefix.strip_prefix(layer.add.as_str()) {
                (rest.is_empty() || rest.starts_with('/')).then(|| Layer {
                    source: Arc::clone(&layer.source),
                    strip: format!("{}{rest}", layer.strip),
                    add: String::new(),
                })
            } else {
                // The layer sits deeper than `prefix`: keep what lies under it.
                let rest = layer.add.strip_prefix(prefix)?;
                rest.starts_with('/').then(|| Layer {
                    source: Arc::clone(&layer.source),
                    strip: layer.strip.clone(),
                    add: rest.to_owned(),
                })
            }
        });
        LazySpans {
            layers: layers.collect(),
        }
    }

    /// Appends `other`'s layers, seen under `prefix` (a child merged inline), after these.
    pub fn append_under(&mut self, prefix: &str, other: &LazySpans) {
        self.layers.extend(other.layers.iter().map(|layer| Layer {
            source: Arc::clone(&layer.source),
            strip: layer.strip.clone(),
            add: format!("{prefix}{}", layer.add),
        }));
    }
}

/// Every layer's spans under the resource's pointers, the first layer's winning.
fn compute(layers: &[Layer]) -> BTreeMap<String, Span> {
    let mut out = BTreeMap::new();
    for layer in layers {
        let entries = layer
            .source
            .spans()
            .into_iter()
            .filter_map(|(pointer, span)| {
                let rest = pointer.strip_prefix(layer.strip.as_str())?;
                let inside = layer.strip.is_empty() || rest.starts_with('/');
                inside.then(|| (format!("{}{rest}", layer.add), span))
            });
        for (pointer, span) in entries {
            out.entry(pointer).or_insert(span);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileId;

    #[derive(Debug)]
    struct Fixed(Vec<(&'static str, usize)>);

    impl SpanSource for Fixed {
        fn spans(&self) -> BTreeMap<String, Span> {
            self.0
                .iter()
                .map(|(p, at)| ((*p).to_owned(), Span::new(FileId(0), *at..*at + 1)))
                .collect()
        }
    }

    fn at(span: Option<Span>) -> Option<usize> {
        span.map(|s| s.start)
    }

    #[test]
    fn under_and_append_under_rebase_pointers() {
        let parent = LazySpans::new(Arc::new(Fixed(vec![
            ("/properties/subnets/0", 1),
            ("/properties/subnets/0/name", 2),
            ("/properties/subnets/10/name", 3),
        ])));
        let child = parent.under("/properties/subnets/0");
        assert_eq!(at(child.get("/name")), Some(2));
        assert_eq!(at(child.get("")), None);
        assert_eq!(
            child.clone().into_map().keys().collect::<Vec<_>>(),
            ["/name"],
            "the item itself and its siblings are not the child's"
        );

        let mut merged = LazySpans::default();
        merged.append_under("/properties/subnets/3", &child);
        assert_eq!(at(merged.get("/properties/subnets/3/name")), Some(2));
        assert_eq!(at(merged.get("/properties/subnets/30/name")), None);
        let back = merged.under("/properties/subnets/3");
        assert_eq!(at(back.get("/name")), Some(2));
    }

    #[test]
    fn first_layer_wins() {
        let mut spans = LazySpans::new(Arc::new(Fixed(vec![("/a", 1)])));
        spans.append_under(
            "",
            &LazySpans::new(Arc::new(Fixed(vec![("/a", 2), ("/b", 3)]))),
        );
        assert_eq!(at(spans.get("/b")), Some(3));
        spans.append_under("/c", &LazySpans::new(Arc::new(Fixed(vec![("/d", 4)]))));
        assert_eq!(at(spans.get("/a")), Some(1));
        assert_eq!(
            at(spans.get("/c/d")),
            Some(4),
            "appending forgets what was computed"
        );
    }
}
