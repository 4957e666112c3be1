//! Domain rules over plain types: numbering, requirement lifecycle, status derivation,
//! notification texts. No SQL, no Tauri, no I/O.

/// A closed list stored as a stable English code and shown as its Chinese label.
macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn from_code(s: &str) -> Option<Self> {
                match s { $($code => Some($name::$variant),)+ _ => None }
            }
            /// Accepts the Chinese label or the code, ignoring surrounding spaces.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                match s { $($label => Some($name::$variant),)+ _ => Self::from_code(s) }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("无法识别的取值：{s}")))
            }
        }
    };
}
pub(crate) use labelled_enum;

/// A rule's refusal: the field it is about (the form's name for it) and a Chinese message.
/// The store turns it into `Error::Invalid` (`From`).
pub type Refusal = (&'static str, String);

pub mod assessment;
pub mod bug;
pub mod calendar;
pub mod collate;
pub mod dates;
pub mod deadlines;
pub mod delay;
pub mod fields;
pub mod forms;
pub mod gate;
pub mod monthly;
pub mod notify;
pub mod numbering;
pub mod people;
pub mod privacy;
pub mod requirement;
pub mod settings;
pub mod timeline;
pub mod weekly;
