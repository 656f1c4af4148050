//! AES-256-GCM seal throughput per provider, and the keyring's full
//! transit encrypt (nonce + seal + base64) at the sizes the Ruby bench uses.
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use pipeline_guard_core::crypto::aead::all_providers;
use pipeline_guard_core::crypto::keyring::KeyringOptions;
use pipeline_guard_core::crypto::Keyring;

fn aead(c: &mut Criterion) {
    c.bench_function("nonce_random_bytes", |b| {
        b.iter(pipeline_guard_core::crypto::random::random_bytes::<12>)
    });
    let mut group = c.benchmark_group("aes256gcm_seal");
    for size in [100usize, 4096, 1 << 20] {
        let pt = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        for provider in all_providers() {
            let key = provider.aes_gcm(&[7u8; 32]).expect("key");
            group.bench_with_input(BenchmarkId::new(provider.name(), size), &pt, |b, pt| {
                b.iter(|| key.seal(&[1u8; 12], b"", pt).expect("seal"))
            });
            let sealed = key.seal(&[1u8; 12], b"", &pt).expect("seal");
            group.bench_with_input(
                BenchmarkId::new(format!("{}_open", provider.name()), size),
                &sealed,
                |b, sealed| b.iter(|| key.open(&[1u8; 12], b"", sealed).expect("open")),
            );
            let mut framed = vec![1u8; 12];
            framed.extend_from_slice(&sealed);
            group.bench_with_input(
                BenchmarkId::new(format!("{}_open_in_place", provider.name()), size),
                &framed,
                |b, framed| {
                    b.iter(|| {
                        let mut buf = framed.clone();
                        key.open_in_place(&[1u8; 12], b"", &mut buf, 12)
                            .expect("open");
                        buf
                    })
                },
            );
        }
        let kr = Keyring::generate(KeyringOptions::default()).expect("keyring");
        group.bench_with_input(BenchmarkId::new("keyring_encrypt", size), &pt, |b, pt| {
            b.iter(|| kr.encrypt(pt, None, None).expect("encrypt"))
        });
        let ct = kr.encrypt(&pt, None, None).expect("encrypt");
        group.bench_with_input(BenchmarkId::new("keyring_decrypt", size), &ct, |b, ct| {
            b.iter(|| kr.decrypt(ct, None, None).expect("decrypt"))
        });
    }
    group.finish();

    let kr = Keyring::generate(KeyringOptions::default()).expect("keyring");
    let items: Vec<Vec<u8>> = (0..10_000u32).map(|i| vec![i as u8; 100]).collect();
    let mut batch = c.benchmark_group("keyring_10k_x_100B");
    batch.bench_function("encrypt_many", |b| b.iter(|| kr.encrypt_many(&items, None)));
    batch.bench_function("encrypt_loop", |b| {
        b.iter(|| {
            items
                .iter()
                .map(|i| kr.encrypt(i, None, None))
                .collect::<Vec<_>>()
        })
    });
    batch.finish();
}

criterion_group!(benches, aead);
criterion_main!(benches);
