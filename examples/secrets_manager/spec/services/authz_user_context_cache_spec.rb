# frozen_string_literal: true

# A query's per-secret checks work out the person's claims (groups, access
# level, member role) once per project, however many lists ask.
RSpec.describe Authz::GraphqlAuthorizer do
  it "computes the user context once per query and owner, with the same answers" do
    enable_secrets_manager!(project)
    developer = user_with(30)
    %w[A_KEY B_KEY].each { |name| seed_secret(name) }
    grant("User", developer.id, %w[read])
    secrets = project.secrets.order(:name).to_a
    allow(Authz).to receive(:user_context).and_call_original

    context = { current_user: developer }
    2.times { expect(described_class.new.authorized_many(context, :read_secret, secrets)).to eq([true, true]) }
    expect(described_class.new.authorized_many(context, :update_secret, secrets)).to eq([false, false])
    expect(Authz).to have_received(:user_context).once

    expect(described_class.new.authorized_many({ current_user: developer }, :read_secret, secrets.reverse))
      .to eq([true, true])
    expect(Authz).to have_received(:user_context).twice # a new query asks again
  end
end
