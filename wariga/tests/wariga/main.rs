//! The calendar engine against reference vectors, public calendars and properties over the
//! whole supported range; plus the `neptu-calendar` command.

mod cli;
mod compatibility;
mod properties;
mod rahinan_2026;
mod shapes;
mod vectors;
