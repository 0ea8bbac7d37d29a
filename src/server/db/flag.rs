//! [`Flag`]: a 0/1 column read as a `bool`. The schema has no booleans
//! (SQLite has none), and sqlx's `Any` driver decodes a `bool` only from a
//! real boolean, so row types decode their flags through this.

use sqlx::{
    any::{AnyTypeInfo, AnyValueRef},
    error::BoxDynError,
    Any, Decode, Type,
};

/// A stored 0/1 flag; any value but 0 reads as true, as the columns were
/// always read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Flag(<i64 as Decode<'r, Any>>::decode(value)? != 0))
    }
}

/// Lets a row type keep a plain `bool` field: `#[sqlx(try_from = "Flag")]`.
impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}
