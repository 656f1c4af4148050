# frozen_string_literal: true

require "pipeline_guard/graphql"

RSpec.describe PipelineGuard::GraphQL::Authorize do
  # An authorizer that records every call: user 1 may read "g/p" and
  # secrets whose name starts with "OK".
  let(:calls) { [] }
  let(:authorizer) do
    log = calls
    PipelineGuard::GraphQL::BlockAuthorizer.new(
      one: lambda { |ctx, ability, subject|
        log << [:one, ability, subject]
        ctx[:user_id] == 1 && (ability == :read_project ? subject == "g/p" : subject.start_with?("OK"))
      },
      many: lambda { |ctx, ability, subjects|
        log << [:many, ability, subjects]
        subjects.map { |s| ctx[:user_id] == 1 && s.start_with?("OK") }
      }
    )
  end

  let(:schema) do
    item_type = Class.new(GraphQL::Schema::Object) do
      graphql_name "Item"
      extend PipelineGuard::GraphQL::AuthorizedType
      pipeline_guard_authorize :read_item, subject: ->(obj, _ctx) { obj[:name] }
      field :name, String, null: false
      def name = object[:name]
    end
    query = Class.new(GraphQL::Schema::Object) do
      graphql_name "Query"
      field :items, [item_type], null: true do
        argument :path, String, required: true
        extension PipelineGuard::GraphQL::Authorize, ability: :read_project,
                                                     subject: ->(_o, args, _c) { args[:path] },
                                                     each: :read_item, item_subject: ->(item, _c) { item[:name] }
      end
      field :paged, item_type.connection_type, null: true do
        extension PipelineGuard::GraphQL::Authorize, each: :read_item, item_subject: ->(item, _c) { item[:name] }
      end
      field :maybe, String, null: true do
        extension PipelineGuard::GraphQL::Authorize, ability: :read_project, subject: ->(*) { "other" }, denied: :nil
      end
      field :item, item_type, null: true do
        argument :name, String, required: true
      end
      def items(path:) = %w[OK_A NO_B OK_C NO_D].map { |n| { name: n, path: } }
      def paged = %w[OK_1 NO_2 OK_3 NO_4 OK_5].map { |n| { name: n } }
      def maybe = "visible"
      def item(name:) = { name: }
    end
    Class.new(GraphQL::Schema) do
      query query
      def self.unauthorized_object(error) = PipelineGuard::GraphQL::AuthorizedType.raise_unauthorized(error)
    end
  end

  def run(query, user_id: 1)
    schema.execute(query, context: { user_id:, pipeline_guard_authorizer: authorizer }).to_h
  end

  it "filters a list with one batch call and no per-item calls", :gc_stress do
    result = run('{ items(path: "g/p") { name } }')
    expect(result["data"]["items"].map { |i| i["name"] }).to eq(%w[OK_A OK_C])
    expect(calls.count { |c| c[0] == :many }).to eq(1)
    expect(calls.select { |c| c[0] == :one }.map { |c| c[1] }).to eq([:read_project])
  end

  it "filters a connection before paginating it, so pages hold only allowed items" do
    result = run("{ paged(first: 2) { nodes { name } pageInfo { hasNextPage } } }")
    expect(result.dig("data", "paged", "nodes")).to eq([{ "name" => "OK_1" }, { "name" => "OK_3" }])
    expect(result.dig("data", "paged", "pageInfo", "hasNextPage")).to be(true)
    expect(result["errors"]).to be_nil
    expect(calls.count { |c| c[0] == :many }).to eq(1)
  end

  it "raises GitLab's not-available error when the field check fails" do
    result = run('{ items(path: "g/other") { name } }')
    expect(result["data"]["items"]).to be_nil
    expect(result["errors"].first["message"]).to eq(PipelineGuard::GraphQL::ResourceNotAvailable::MESSAGE)
    expect(result["errors"].first["extensions"]).to eq("code" => "RESOURCE_NOT_AVAILABLE")
    expect(calls.none? { |c| c[0] == :many }).to be(true)
  end

  it "denies everything without a user" do
    result = run('{ items(path: "g/p") { name } }', user_id: nil)
    expect(result["errors"].size).to eq(1)
  end

  it "can resolve a denied field to nil instead" do
    expect(run("{ maybe }")).to eq("data" => { "maybe" => nil })
  end

  it "authorizes single objects through the type's authorized?" do
    expect(run('{ item(name: "OK_1") { name } }')["data"]).to eq("item" => { "name" => "OK_1" })
    denied = run('{ item(name: "NO_1") { name } }')
    expect(denied["data"]).to eq("item" => nil)
    expect(denied["errors"].first["message"]).to eq(PipelineGuard::GraphQL::ResourceNotAvailable::MESSAGE)
  end

  it "emits authorize events with counts" do
    events = []
    sub = PipelineGuard::Rails::Notifications.subscribe(:authorize) { |*a| events << a.last }
    run('{ items(path: "g/p") { name } }')
    expect(events).to include(hash_including(ability: :read_item, count: 4, allowed: 2))
  ensure
    ActiveSupport::Notifications.unsubscribe(sub)
  end

  it "is thread-safe: each query has its own cache" do
    results = Array.new(4) { |i| Thread.new { run('{ items(path: "g/p") { name } }', user_id: i.even? ? 1 : 2) } }
                   .map(&:value)
    expect(results.map { |r| r.dig("data", "items")&.size }).to eq([2, nil, 2, nil])
  end

  it "names a missing authorizer" do
    expect { schema.execute('{ items(path: "g/p") { name } }', context: {}) }
      .to raise_error(PipelineGuard::Error, /no PipelineGuard::GraphQL authorizer/)
  end
end
