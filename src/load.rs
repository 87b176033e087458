//! The one way a command reads the templates it is given: each argument
//! made local (a remote template fetched and pinned), the dialect
//! detected, pot flavours read as one chain, a Bastillefile's or a
//! Makejail's includes read as steps or expanded. `parse`, `plan`,
//! `apply`, `convert` and `lint` all come through here.

use crate::dialect::{self, Bindings, Kind, LoadError, Scope};
use crate::document::Document;
use crate::ir::Dialect;
use crate::remote::{self, RemoteError};
use std::path::PathBuf;

/// How a template's includes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Includes {
    /// As INCLUDE steps.
    AsSteps,
    /// Expanded in place (a Makejail's, as AppJail does; remote ones
    /// fetched when the settings say so).
    Expanded,
}

/// What to read.
pub struct Request<'a> {
    /// The templates named: one, or several pot flavours in order.
    pub templates: &'a [PathBuf],
    /// The dialect, when file names do not tell.
    pub forced: Option<Dialect>,
    pub bindings: &'a Bindings,
    pub includes: Includes,
    pub remote: &'a remote::Settings,
    /// Where the templates' files may be read (a walked tree: only
    /// inside it).
    pub scope: &'a Scope,
}

/// The templates read.
pub struct Loaded {
    pub doc: Document,
    /// The first template, local.
    pub first: PathBuf,
    /// What the first template is.
    pub kind: Option<Kind>,
}

/// Why the templates could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadFailure {
    #[error("only pot flavours can be given several at once")]
    Several,
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// Reads the templates of `request` into one document.
pub fn load(request: &Request) -> Result<Loaded, LoadFailure> {
    let Some((first, more)) = request.templates.split_first() else {
        return Err(LoadFailure::Several);
    };
    let first = remote::local(first, request.remote)?;
    let kind = dialect::detect(&first, request.forced);
    let is_pot = request.forced == Some(Dialect::Pot) || kind == Some(Kind::PotFlavour);
    let doc = if is_pot {
        let mut paths = vec![first.clone()];
        for template in more {
            paths.push(remote::local(template, request.remote)?);
        }
        dialect::pot::load_flavours_in(&paths, request.scope)?
    } else if !more.is_empty() {
        return Err(LoadFailure::Several);
    } else {
        match request.includes {
            Includes::AsSteps => {
                dialect::load_in(&first, request.forced, request.bindings, request.scope)?
            }
            Includes::Expanded => remote::load_expanded(
                &first,
                request.forced,
                request.bindings,
                request.remote,
                request.scope,
            )?,
        }
    };
    Ok(Loaded { doc, first, kind })
}
