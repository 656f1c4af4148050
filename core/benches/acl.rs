//! ACL checks in the core, with no Ruby: the floor for `ACL#capabilities`
//! and `ACL#allowed?` from Ruby, from 10 to 100,000 rules.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use pipeline_guard_core::acl::{Acl, Policy};

fn rules(count: usize) -> String {
    (0..count)
        .map(|i| match i % 4 {
            0 => format!(r#"path "projects/p{i}/secrets/kv/data/explicit/*" {{ capabilities = ["read", "list"] }}"#),
            1 => format!(r#"path "projects/p{i}/secrets/kv/metadata/explicit/DB" {{ capabilities = ["read"] }}"#),
            2 => format!(r#"path "projects/p{i}/+/kv/data/env/*" {{ capabilities = ["create"] }}"#),
            _ => format!(r#"path "groups/g{i}/*" {{ capabilities = ["deny"] }}"#),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn acl(c: &mut Criterion) {
    let path = "secrets/kv/data/explicit/DB_PASSWORD";
    let ci = Policy::parse(
        r#"path "secrets/kv/data/explicit/*" { capabilities = ["read", "list"] }"#,
        "ci",
    )
    .expect("ci policy");
    let mut group = c.benchmark_group("acl");
    for count in [10usize, 1_000, 100_000] {
        let big = Policy::parse(&rules(count), "big").expect("policy");
        let acl = Acl::new([&big, &ci]);
        assert!(acl.allowed("read", path));
        group.bench_with_input(BenchmarkId::new("capability_set", count), &acl, |b, acl| {
            b.iter(|| acl.capability_set(std::hint::black_box(path)))
        });
        group.bench_with_input(BenchmarkId::new("allowed", count), &acl, |b, acl| {
            b.iter(|| acl.allowed("read", std::hint::black_box(path)))
        });
    }
    group.finish();
}

criterion_group!(benches, acl);
criterion_main!(benches);
