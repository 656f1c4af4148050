# frozen_string_literal: true

# Every GitLab frontend document we carry must be valid against this app's
# schema: same field names, argument names and types, nullability.
RSpec.describe "GitLab's secrets-manager GraphQL documents" do
  it "are all present, byte for byte as recorded" do
    expect(GitlabGraphql.names.size).to be >= 20
    GitlabGraphql.names.each do |name|
      source = GitlabGraphql.source(name)
      expect(source).to include("repository" => "flyisland/gitlab-ee", "path" => end_with("/#{name}"))
      bytes = File.binread(File.join(GitlabGraphql::DIR, name))
      expect(Digest::SHA256.hexdigest(bytes)).to eq(source["sha256"]), name
    end
  end

  GitlabGraphql.names.each do |name|
    it "validates #{name} against the app schema" do
      query = GraphQL::Query.new(SecretsManagerSchema, GitlabGraphql.document(name))
      errors = SecretsManagerSchema.static_validator.validate(query)[:errors].map(&:message)
      expect(errors).to eq([])
    end
  end

  it "resolves #import lines by concatenating the fragment, once" do
    Dir.mktmpdir do |dir|
      stub_const("GitlabGraphql::DIR", dir)
      File.write(File.join(dir, "f.fragment.graphql"), "fragment F on Project { id }\n")
      File.write(File.join(dir, "q.query.graphql"),
                 %(#import "./f.fragment.graphql"\n#import "~/x/f.fragment.graphql"\nquery { x { ...F } }\n))
      expect(GitlabGraphql.document("q.query.graphql")).to eq("fragment F on Project { id }\nquery { x { ...F } }\n")
    end
  end

  it "drops fields introduced after GitLab 19.4.1 (@gl_introduced), keeps the others" do
    enable_secrets_manager!(project)
    owner = user_with(50)
    res = graphql(<<~GQL, as: owner)
      { projectSecretsManager(projectPath: "acme/api") {
          status readOnly @gl_introduced(version: "19.4.0") future: readOnly @gl_introduced(version: "99.9.9") } }
    GQL
    expect(res).to eq("data" => { "projectSecretsManager" => { "status" => "ACTIVE", "readOnly" => false } })
  end
end
