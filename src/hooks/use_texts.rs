//! The messages a widget shows: its language's, loaded once per page (src/i18n.rs).

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{self, Texts};

/// `lang`'s messages. In the browser, English until a language new to the page has arrived
/// (then one render in place); a language the page has loaded already is there at once.
#[hook]
pub fn use_texts(lang: &'static str) -> Rc<Texts> {
    let texts = use_state_eq(|| i18n::initial(lang));
    // The language asked for last: an older answer arriving late is dropped.
    let wanted = use_mut_ref(|| lang);
    {
        let texts = texts.clone();
        use_effect_with(lang, move |&lang| {
            *wanted.borrow_mut() = lang;
            if texts.lang != lang {
                wasm_bindgen_futures::spawn_local(async move {
                    // A file that cannot be had leaves English: the widget still works.
                    let loaded = i18n::load(lang).await.unwrap_or_else(i18n::english);
                    if *wanted.borrow() == lang {
                        texts.set(loaded);
                    }
                });
            }
        });
    }
    Rc::clone(&texts)
}
