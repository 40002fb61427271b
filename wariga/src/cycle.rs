//! The `cycle!` macro: one Pawukon cycle as an enum whose names and urip live in one table.
//!
//! Writing each cycle as a single `Variant => ("Name", urip)` list keeps the pinned tables
//! readable and reviewable against their sources, and makes it impossible for a name list and an
//! urip list to drift apart.

/// Declares a cycle enum with `ALL`, `LEN`, `index`, `value`, `name`, `urip`, `from_index`,
/// `Display` and a `{value, name, urip}` serialization.
macro_rules! cycle {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => ($label:literal, $urip:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in cycle order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];
            /// Length of the cycle.
            pub const LEN: usize = Self::ALL.len();

            /// 0-based position in the cycle.
            pub const fn index(self) -> usize {
                self as usize
            }

            /// 1-based position in the cycle: the `value` field of reading items.
            pub const fn value(self) -> u8 {
                self as u8 + 1
            }

            /// Balinese name, as printed in Balinese calendars.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }

            /// Urip (neptu), the traditional number attached to the value.
            pub const fn urip(self) -> u8 {
                match self {
                    $(Self::$variant => $urip),+
                }
            }

            /// The value at position `index` modulo the cycle length.
            // The one-value ekawara reduces modulo 1, which is correct if pointless.
            #[allow(clippy::modulo_one)]
            pub const fn from_index(index: usize) -> Self {
                Self::ALL[index % Self::LEN]
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                let mut item = serializer.serialize_struct(stringify!($name), 3)?;
                item.serialize_field("value", &self.value())?;
                item.serialize_field("name", self.name())?;
                item.serialize_field("urip", &self.urip())?;
                item.end()
            }
        }
    };
}

pub(crate) use cycle;
