# frozen_string_literal: true

# Rust allocations are reported to Ruby's GC (rb-sys tracking allocator), so
# large native structures add to GC pressure like Ruby-allocated memory.
RSpec.describe "Native memory accounting" do
  it "counts memory a native RBAC model allocates in GC.stat(:malloc_increase_bytes)" do
    model = PipelineGuard::RBAC::Model.new
    paths = Array.new(20_000) { |i| "g/#{i}" }
    GC.start
    GC.disable
    before = GC.stat(:malloc_increase_bytes)
    paths.each_with_index { |path, user| model.add_membership(user, path, access_level: 30) }
    grown = GC.stat(:malloc_increase_bytes) - before
    # 20k memberships take megabytes natively; Ruby allocates nothing here.
    expect(grown).to be > 2_000_000
  ensure
    GC.enable
  end
end
