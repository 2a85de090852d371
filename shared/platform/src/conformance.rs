//! Port conformance suites, written once and run against every adapter (the embedded ones
//! always, the AWS ones against an emulator). Each case is a plain async function that
//! panics on a violation; [`table_conformance!`](crate::table_conformance) and
//! [`blobs_conformance!`](crate::blobs_conformance) turn them into one named test each.

pub mod blobs;
pub mod table;

/// Declares one `#[tokio::test]` per `Table` case; `$make` is an async expression giving an
/// `Arc<dyn Table>` (a fresh or shared table: cases use their own partitions).
#[macro_export]
macro_rules! table_conformance {
    ($make:expr) => {
        $crate::table_conformance!(@cases $make;
            put_then_get_returns_the_same_item, get_many_reads_items_in_key_order, conditional_put_refuses_existing_item,
            version_condition_detects_a_lost_update, expired_item_counts_as_absent_only_for_not_exists_or_expired,
            update_sets_and_removes_attributes, delete_honours_its_condition, transaction_is_all_or_nothing, transaction_limits_are_enforced,
            query_orders_filters_and_pages, scan_finds_one_sort_key_across_partitions_in_pages, query_backward_pages_newest_first, gsi_is_sparse_and_follows_updates,
            concurrent_creates_have_exactly_one_winner, expired_items_stay_readable_until_deleted);
    };
    (@cases $make:expr; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let table = $make;
                $crate::conformance::table::$case(&*table).await;
            }
        )*
    };
}

/// Declares one `#[tokio::test]` per `Blobs` case; `$make` is an async expression giving a
/// `BlobsFixture`.
#[macro_export]
macro_rules! blobs_conformance {
    ($make:expr) => {
        $crate::blobs_conformance!(@cases $make;
            presigned_put_then_presigned_get_round_trips, head_and_read_start_describe_the_object,
            put_and_delete_are_idempotent, absent_objects_are_none, unsafe_keys_are_refused,
            a_copy_of_checked_bytes_is_untouched_by_a_later_presigned_put);
    };
    (@cases $make:expr; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let fixture = $make;
                $crate::conformance::blobs::$case(&fixture).await;
            }
        )*
    };
}
