//! Name lookup shared by the activation and initialiser catalogues.

use std::fmt;

/// A closed set of named choices, parsed from lower-case config names.
pub trait Catalogue: Copy + PartialEq + 'static {
    /// What the names denote, for error messages ("activation", "initialiser").
    const KIND: &'static str;
    /// Every member with its config name.
    const ALL: &'static [(Self, &'static str)];

    /// Looks a name up (case-insensitive); the error lists the known names.
    fn parse(name: &str) -> Result<Self, UnknownName> {
        let wanted = name.trim().to_ascii_lowercase();
        Self::ALL.iter().find(|(_, n)| *n == wanted).map(|(v, _)| *v).ok_or_else(|| UnknownName {
            kind: Self::KIND,
            name: name.to_owned(),
            known: Self::ALL.iter().map(|(_, n)| *n).collect(),
        })
    }

    /// The config name of a member.
    fn name_of(value: Self) -> &'static str {
        Self::ALL.iter().find(|(v, _)| *v == value).map(|(_, n)| *n).unwrap_or("?")
    }
}

/// An unknown activation or initialiser name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// "activation" or "initialiser".
    pub kind: &'static str,
    /// The name given.
    pub name: String,
    /// The names that exist.
    pub known: Vec<&'static str>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} \"{}\"; known: {}", self.kind, self.name, self.known.join(", "))
    }
}

impl std::error::Error for UnknownName {}

/// Display, `FromStr` and the `String` conversions serde uses, all through the catalogue names.
macro_rules! string_conversions {
    ($ty:ty) => {
        impl $ty {
            /// The lower-case config name.
            pub fn name(self) -> &'static str {
                <Self as $crate::catalogue::Catalogue>::name_of(self)
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::catalogue::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::catalogue::Catalogue>::parse(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $crate::catalogue::UnknownName;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.name().to_owned()
            }
        }
    };
}
pub(crate) use string_conversions;
