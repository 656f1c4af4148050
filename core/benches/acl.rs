//! ACL checks in the core, with no Ruby: the floor for `ACL#capabilities`
//! and `ACL#allowed?` from Ruby, from 10 to 100,000 rules.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use pipeline_guard_core::acl::{Acl, Policy};

fn rules(chunk: usize, count: usize) -> String {
    (chunk * count..(chunk + 1) * count)
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
        // At most 10,000 rules per policy (a policy's text is capped at 4 MiB).
        let chunks = count.div_ceil(10_000);
        let policies: Vec<Policy> = (0..chunks)
            .map(|c| Policy::parse(&rules(c, count / chunks), &format!("p{c}")).expect("policy"))
            .chain([ci.clone()])
            .collect();
        let acl = Acl::new(&policies);
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
