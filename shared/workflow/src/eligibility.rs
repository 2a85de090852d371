//! Whether a unit may apply for a person, and with which type (docs/DOMAIN.md,
//! Eligibility): the stored facts read by one query of the person's partition (the unit's
//! approved scopes come with the unit, read by key; a unit that keeps none yet has its
//! certificates read), the decision made by the pure
//! `gongshi_core::practice::assess`.

use crate::{Result, expiry};
use gongshi_core::practice::{ApplyingUnit, Assessment, Candidate, Refusal, assess};
use gongshi_core::{IdNumber, Name, china_today};
use gongshi_platform::Platform;
use gongshi_store::practitioners::{self, Person, PublicityRecord};
use gongshi_store::qualifications;
use gongshi_store::units::Unit;
use time::Date;

/// A person looked up for a unit: what is stored and the eligibility decision.
#[derive(Debug)]
pub struct Lookup {
    /// Everything stored about the person (one Query).
    pub person: Person,
    /// Eligible with a type, or why not.
    pub decision: std::result::Result<Assessment, Refusal>,
}

/// A unit's approved qualification scope: the item codes and the last valid day.
pub type Scope = (Vec<String>, Date);

/// Decides whether the unit may apply for the person: one Query on the person's partition
/// and one on the unit's qualifications. An open application whose deadline has passed is
/// expired first, so the person is free at once.
pub async fn look_up(p: &Platform, unit_id: &str, id_number: &IdNumber, name: &Name) -> Result<Lookup> {
    let (person, scopes) = read(p, unit_id, id_number).await?;
    let decision = assess_person(p, unit_id, &person, name, &scopes);
    Ok(Lookup { person, decision })
}

/// What eligibility needs, read together (two queries, sent at once): the person (an open
/// application whose deadline passed is expired first) and the unit's approved scopes.
pub async fn read(p: &Platform, unit_id: &str, id_number: &IdNumber) -> Result<(Person, Vec<Scope>)> {
    let (person, scopes) = tokio::try_join!(person(p, id_number), async { Ok(unit_scopes(p, unit_id).await?) })?;
    Ok((person, scopes))
}

/// [`read`] for a caller who read the unit (by key, with its own batch): the scopes come
/// with the unit, so only the person is read (one query).
pub async fn read_with_unit(p: &Platform, unit_id: &str, unit: Option<&Unit>, id_number: &IdNumber) -> Result<(Person, Vec<Scope>)> {
    match unit.and_then(scopes_of) {
        Some(scopes) => Ok((person(p, id_number).await?, scopes)),
        None => read(p, unit_id, id_number).await,
    }
}

/// The person, with an open application whose deadline has passed expired first (a lock
/// whose deadline has not come needs no look at its application).
async fn person(p: &Platform, id_number: &IdNumber) -> Result<Person> {
    let mut person = practitioners::person(p.table.as_ref(), id_number).await?;
    if let Some(open) = &person.open
        && open.may_have_lapsed(p.clock.now())
        && expiry::expire_if_due(p, &open.application_id).await?
    {
        person.open = None;
    }
    Ok(person)
}

/// The scopes kept with a unit, if it keeps them (units written before: `None`).
pub fn scopes_of(unit: &Unit) -> Option<Vec<Scope>> {
    unit.scopes
        .as_ref()
        .map(|scopes| scopes.iter().map(|s| (s.items.clone(), s.valid_until)).collect())
}

/// The unit's scopes from the unit read by key (its item, `None` if absent), or from its
/// certificates when it keeps none yet.
pub async fn unit_scopes_with(p: &Platform, unit_id: &str, unit: Option<gongshi_platform::Item>) -> Result<Vec<Scope>> {
    let unit: Option<Unit> = unit.map(gongshi_store::decode).transpose()?;
    match unit.as_ref().and_then(scopes_of) {
        Some(scopes) => Ok(scopes),
        None => Ok(unit_scopes(p, unit_id).await?),
    }
}

/// The unit's qualification scopes (approved items and last valid day), read from its
/// certificates: only versions the association approved count, never one still waiting for
/// review.
pub async fn unit_scopes(p: &Platform, unit_id: &str) -> std::result::Result<Vec<Scope>, gongshi_store::StoreError> {
    Ok(qualifications::of_unit(p.table.as_ref(), unit_id)
        .await?
        .iter()
        .filter_map(|q| q.in_force())
        .map(|q| (q.items.clone(), q.valid_until))
        .collect())
}

/// The eligibility of a person already read (see [`look_up`]).
pub fn assess_person(
    p: &Platform,
    unit_id: &str,
    person: &Person,
    name: &Name,
    scopes: &[Scope],
) -> std::result::Result<Assessment, Refusal> {
    let candidate = Candidate {
        registered_name: person.profile.as_ref().map(|p| &p.name),
        items: &person.items,
        mobile_verified: person.mobile.is_some(),
        open_application: person.open.as_ref().map(|o| o.state),
        publicity: person.publicity.as_ref().map(|r| &r.publicity),
    };
    let unit = ApplyingUnit {
        unit_id,
        qualifications: scopes,
    };
    assess(name, &candidate, &unit, china_today(p.clock.now()), &p.config.periods)
}

/// The people published at the unit (active or not), each with what eligibility needs:
/// the unit's publicities (pages of 1,000), then 33 people to a batch read by key.
pub async fn unit_people(p: &Platform, unit_id: &str) -> Result<Vec<(PublicityRecord, Person)>> {
    let records = practitioners::all_of_unit(p.table.as_ref(), unit_id).await?;
    let people = practitioners::people(p.table.as_ref(), &records).await?;
    Ok(records.into_iter().zip(people).collect())
}
