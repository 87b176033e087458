//! What jailwright takes from elsewhere: downloads over HTTPS (`http`) and
//! the archives they bring (`archive`), both hostile until checked. Used
//! by `bootstrap` (a FreeBSD release) and `remote` (a template).

pub mod archive;
pub mod http;
