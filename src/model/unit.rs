//! Deployment units: what is deployed together, and so the scope inside which resources
//! share identity. A Terraform root module with its variables, an ARM template with its
//! parameters, a Bicep root or `.bicepparam`, one live export folder, one Terraform plan.

use std::path::PathBuf;

/// Index of a unit in a scan's unit table. `UnitId::default()` (0) is what readers and
/// unit tests use; the scan assigns the real unit after a reader returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitId(pub u32);

impl UnitId {
    /// The position in the unit table.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What kind of deployment a unit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    /// A Terraform root module (a folder), with its tfvars and `--var-file`s.
    Terraform,
    /// A Terraform plan (`terraform show -json`).
    TerraformPlan,
    /// An ARM template, with its parameter files and `--parameters`.
    Arm,
    /// A Bicep root file or a `.bicepparam` file.
    Bicep,
    /// The live-export dump files of one folder.
    Export,
}

/// One deployment unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The root folder (Terraform, export) or file (template, Bicep, plan), as scanned.
    pub path: PathBuf,
    /// What it is.
    pub kind: UnitKind,
}
