# frozen_string_literal: true

require "pipeline_guard/graphql"

RSpec.describe PipelineGuard::GraphQL::RBACAuthorizer do
  before { skip "the RBAC binding is not built into this extension" unless defined?(PipelineGuard::RBAC::Model) }

  let(:model) do
    PipelineGuard::RBAC::Model.new.tap do |m|
      m.add_membership(1, "acme", access_level: :developer)
      m.add_membership(2, "acme/api", access_level: :reporter)
    end
  end
  let(:authorizer) { described_class.new(model) }
  let(:project) { Struct.new(:full_path).new("acme/api") }

  it "maps the current user and subjects (paths or full_path objects) onto the native model", :gc_stress do
    ctx = { current_user_id: 1 }
    expect(authorizer.authorized?(ctx, :read_project_secrets, "acme/api")).to be(true)
    expect(authorizer.authorized?(ctx, :read_project_secrets, project)).to be(true)
    expect(authorizer.authorized?(ctx, :read_project_secrets, "acmeX/api")).to be(false)
    expect(authorizer.authorized?({ current_user_id: 2 }, :read_project_secrets, "acme/web")).to be(false)
    expect(authorizer.authorized?({}, :read_project_secrets, "acme/api")).to be(false)
  end

  it "answers a batch in one call, in order" do
    paths = %w[acme/api acme other acme/web/deep nope]
    expect(authorizer.authorized_many({ current_user_id: 1 }, :read_project_secrets, paths))
      .to eq([true, true, false, true, false])
    expect(authorizer.authorized_many({ current_user_id: nil }, :read_project_secrets, paths)).to eq([false] * 5)
  end

  it "falls back to filter for models without allowed_many" do
    filtering = Class.new do
      def filter(_user, _ability, paths) = paths.select { |p| p.start_with?("acme") }
    end.new
    auth = described_class.new(filtering)
    expect(auth.authorized_many({ current_user_id: 1 }, :x, %w[acme/a b acme/c])).to eq([true, false, true])
  end

  it "rejects subjects it cannot turn into paths" do
    expect { authorizer.authorized?({ current_user_id: 1 }, :read_project_secrets, 42) }
      .to raise_error(ArgumentError, /cannot turn Integer into a namespace path/)
  end

  it "checks large lists from many threads" do
    paths = Array.new(5000) { |i| i.even? ? "acme/p#{i}" : "other/p#{i}" }
    results = Array.new(4) do
      Thread.new { authorizer.authorized_many({ current_user_id: 1 }, :read_project_secrets, paths).count(true) }
    end.map(&:value)
    expect(results).to eq([2500] * 4)
  end

  it "works in a forked child after the parent used the batch path" do
    skip "fork not available" unless Process.respond_to?(:fork)
    paths = Array.new(5000) { |i| "acme/p#{i}" }
    expect(authorizer.authorized_many({ current_user_id: 1 }, :read_project_secrets, paths).count(true)).to eq(5000)
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      writer.write(authorizer.authorized_many({ current_user_id: 1 }, :read_project_secrets, paths).count(true).to_s)
      writer.close
      exit!(0)
    end
    writer.close
    Process.wait(pid)
    expect(reader.read).to eq("5000")
  end
end
