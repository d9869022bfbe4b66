namespace AgentAspire.AgentState;
